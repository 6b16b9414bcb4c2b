"""Demo contract type with a Chinese sales-contract template (issue #5)."""

from salesdesk.contracts.models import ContractType
from salesdesk.core import demo

SALES_TEMPLATE = """<h1>銷售合同</h1>
<p>賣方（甲方）：{{ company.name }}</p>
<p>買方（乙方）：{{ customer.legal_name }}　統一編號／信用代碼：{{ customer.tax_id }}</p>
<p>地址：{{ customer.address }}</p>
<h2>第一條　標的物</h2>
<table><tr><th>品名</th><th>規格</th><th>數量</th><th>單價</th><th>金額（含稅）</th></tr>
{% for line in lines %}<tr><td>{{ line.product.name }}</td><td>{{ line.product.spec }}</td>
<td>{{ line.quantity }} {{ line.product.unit }}</td><td>{{ line.unit_price }}</td>
<td>{{ line.gross_amount }}</td></tr>
{% endfor %}</table>
<p>合同總金額：人民幣 {{ amount }} 元（大寫：{{ amount_in_words }}）</p>
<h2>第二條　交貨</h2>
<p>交貨日期：{{ delivery_date|date:"Y-m-d"|default:"雙方另行約定" }}。</p>
<h2>第三條　付款方式</h2>
<p>{{ payment_terms|default:"雙方另行約定" }}。</p>
<h2>第四條　違約責任</h2>
<p>任何一方違反本合同約定，應向守約方支付合同總金額百分之五的違約金；造成損失的，並應賠償損失。因不可抗力不能履行的，依法免責，但應及時通知對方。</p>
<h2>第五條　其他</h2>
<p>本合同一式兩份，雙方各執一份，自雙方簽字蓋章之日起生效。</p>"""


@demo.register("contracts.types", order=60)
def load_contract_types(actor, stdout) -> None:
    ContractType.objects.get_or_create(
        code="sales", defaults={"name": "銷售合同", "template": SALES_TEMPLATE}
    )
    ContractType.objects.get_or_create(
        code="supplement",
        defaults={
            "name": "補充協議",
            "template": (
                "<h1>補充協議</h1><p>甲方：{{ company.name }}</p><p>乙方：{{ customer.legal_name }}"
                "</p><p>雙方就原合同補充約定如下：</p><p>（請填寫）</p>"
            ),
        },
    )
    stdout.write("  2 demo contract types\n")
