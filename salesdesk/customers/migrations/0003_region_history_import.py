from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0002_credit_fields'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='customer',
            options={'ordering': ['-created_at'], 'permissions': [('view_all_customers', 'Can see every customer'), ('view_team_customers', "Can see the team's customers"), ('reveal_contact', 'Can reveal contact details'), ('export_customer', 'Can export customer lists'), ('import_customer', 'Can import customers'), ('transfer_customer', "Can change a customer's owner"), ('qualify_customer', "Can change a customer's stage"), ('erase_contact', "Can erase a person's data"), ('share_customer', 'Can share customer data with outside parties'), ('change_credit', 'Can set credit limits, grades and blocks'), ('import_history', 'Can import sales history')], 'verbose_name': 'customer', 'verbose_name_plural': 'customers'},
        ),
        migrations.AddField(
            model_name='customer',
            name='region',
            field=models.CharField(blank=True, max_length=40, verbose_name='sales region'),
        ),
    ]
