from django.urls import path

from salesdesk.catalog import views, views_pricing, views_stock

app_name = "catalog"
PRICE_LIST = "price-lists/<int:price_list_id>/"
urlpatterns = [
    path("products/", views.product_list_view, name="products"),
    path("products/new/", views.product_create_view, name="product_create"),
    path("products/<int:product_id>/edit/", views.product_edit_view, name="product_edit"),
    path("price-lists/", views_pricing.price_list_list_view, name="price_lists"),
    path("price-lists/new/", views_pricing.price_list_create_view, name="price_list_create"),
    path(PRICE_LIST, views_pricing.price_list_detail_view, name="price_list_detail"),
    path(PRICE_LIST + "edit/", views_pricing.price_list_edit_view, name="price_list_edit"),
    path(
        PRICE_LIST + "deactivate/",
        views_pricing.price_list_deactivate_view,
        name="price_list_deactivate",
    ),
    path(PRICE_LIST + "items/", views_pricing.price_item_add_view, name="price_item_add"),
    path(
        PRICE_LIST + "items/<str:sku>/", views_pricing.price_item_edit_view, name="price_item_edit"
    ),
    path(
        PRICE_LIST + "items/<str:sku>/row/",
        views_pricing.price_item_row_view,
        name="price_item_row",
    ),
    path("stock/", views_stock.stock_list_view, name="stock"),
    path("stock/adjust/", views_stock.stock_adjust_view, name="stock_adjust"),
]
