{{ config(materialized='view') }}
select {{ var('shared_rate') }} as rate, '{{ var('pkg_scoped') }}'::text as scoped, {{ var('pkg_only') }} as pkg_only,
       {{ pkg_answer() }} as from_macro
