from django.urls import path

from salesdesk.finance import views, views_invoices, views_payments

app_name = "finance"
urlpatterns = [
    path("", views.receivables_ageing_view, name="ageing"),
    path(
        "customers/<int:customer_id>/statement/",
        views.customer_statement_view,
        name="statement",
    ),
    path("invoices/", views_invoices.invoice_list_view, name="invoices"),
    path("invoices/new/", views_invoices.invoice_create_view, name="invoice_create"),
    path("invoices/<int:invoice_id>/", views_invoices.invoice_detail_view, name="invoice_detail"),
    path("invoices/<int:invoice_id>/void/", views_invoices.invoice_void_view, name="invoice_void"),
    path("payments/", views_payments.payment_list_view, name="payments"),
    path("payments/new/", views_payments.payment_create_view, name="payment_create"),
    path("payments/<int:payment_id>/", views_payments.payment_detail_view, name="payment_detail"),
    path(
        "payments/<int:payment_id>/allocate/",
        views_payments.payment_allocate_view,
        name="payment_allocate",
    ),
]
