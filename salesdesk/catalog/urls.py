from django.urls import path

from salesdesk.catalog import views, views_stock

app_name = "catalog"
urlpatterns = [
    path("products/", views.product_list_view, name="products"),
    path("products/new/", views.product_create_view, name="product_create"),
    path("products/<int:product_id>/edit/", views.product_edit_view, name="product_edit"),
    path("stock/", views_stock.stock_list_view, name="stock"),
    path("stock/adjust/", views_stock.stock_adjust_view, name="stock_adjust"),
]
