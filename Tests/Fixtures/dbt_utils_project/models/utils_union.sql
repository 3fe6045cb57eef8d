-- the 2024 file has one more column; the 2023 rows get null for it. No source column: it would hold the schema
-- name, which differs between the two builds being compared.
{{ dbt_utils.union_relations(relations=[ref('payments_2023'), ref('payments_2024')], source_column_name=none) }}
