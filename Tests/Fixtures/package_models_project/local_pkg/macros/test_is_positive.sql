{# a custom generic test of the package, used unqualified in its own properties file #}
{% test is_positive(model, column_name) %}
select * from {{ model }} where {{ column_name }} <= 0
{% endtest %}
