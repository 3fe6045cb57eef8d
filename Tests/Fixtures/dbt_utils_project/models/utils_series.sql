select generated_number from ({{ dbt_utils.generate_series(37) }}) s
