{# a snapshot of the package: unique_key from the package's dbt_project.yml `snapshots:` #}
{% snapshot pkg_countries_snap %}
{{ config(strategy='timestamp', updated_at='updated_at') }}
select * from {{ ref('pkg_countries') }}
{% endsnapshot %}
