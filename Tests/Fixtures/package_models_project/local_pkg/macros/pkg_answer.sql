{% macro pkg_answer() %}42{% endmacro %}
