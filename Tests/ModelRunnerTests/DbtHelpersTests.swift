import Foundation
import Testing

/// dbt context helpers packages lean on: `modules.re`, relations as dict keys, column sizes, a test macro's `fail_calc`.
@Suite("runner: modules.re, relation keys, column sizes, fail_calc")
struct DbtHelpersTests {
    @Test("modules.re follows Python's re (sub with groups and count, match, search, findall, split); relations are dict keys by value")
    func regexAndRelationKeys() throws {
        let fx = try Fixture("helpers", files: [
            "models/src.sql": "{{ config(materialized='table') }} select 'ab'::varchar(20) as short_text, 'x'::text as long_text, 1 as n",
            "models/m.sql": """
                {%- set re = modules.re -%}
                {%- set keyed = {} -%}
                {%- do keyed.update({ref('src'): 'first'}) -%}
                {%- do keyed.update({ref('src'): 'second'}) -%}
                {%- set cols = adapter.get_columns_in_relation(ref('src')) -%}
                select '{{ re.sub('([a-z]+)-([0-9]+)', '\\\\2_\\\\g<1>', 'ab-12 cd-34') }}' as swapped,
                       '{{ re.sub('[ -]+', '_', 'a - b c', count=1) }}' as first_only,
                       '{{ re.sub('x', '$1', 'x') }}' as dollar,
                       '{{ re.match('[0-9]', 'a1') is none }}' as no_match_at_start,
                       '{{ re.search('([0-9])([a-z])', 'a1b').group(2) }}' as searched,
                       '{{ re.findall('[0-9]+', 'a1b22c333') | join(',') }}' as found,
                       '{{ re.split('[,;]', 'a,b;c') | join('|') }}' as parts,
                       {{ keyed | length }} as relation_keys,
                       '{{ keyed[ref('src')] }}' as relation_value,
                       '{% for c in cols if c.is_string() %}{{ c.name }}={{ c.string_size() }}{{ ' ' if not loop.last }}{% endfor %}' as sizes
                """,
        ])
        let out = fx.run(.build)
        #expect(out.exitCode == 0, "\(fx.errorOutput)")
        let row = try fx.scalar("""
            SELECT concat_ws(' / ', swapped, first_only, dollar, no_match_at_start, searched, found, parts, relation_keys, relation_value, sizes)
              FROM public.m
            """)
        // Python: re.sub('([a-z]+)-([0-9]+)', r'\2_\g<1>', 'ab-12 cd-34') == '12_ab 34_cd'; re.sub('[ -]+', '_', 'a - b c', count=1) == 'a_b c'
        #expect(row == "12_ab 34_cd / a_b c / $1 / True / b / 1,22,333 / a|b|c / 1 / second / short_text=20 long_text=256")
    }

    @Test("a generic test macro's config(fail_calc=...) decides the failure count; the .yml's severity still wins")
    func failCalcFromTheTestMacro() throws {
        let fx = try Fixture("failcalc", files: [
            "models/m.sql": "{{ config(materialized='table') }} select 1 as id, 0 as delta union all select 2, 0",
            "macros/sum_delta.sql": """
                {% test sum_delta(model, column_name) %}
                {{ config(fail_calc='sum(' ~ column_name ~ ')') }}
                select {{ column_name }} from {{ model }}
                {% endtest %}
                """,
            "models/m.yml": """
                version: 2
                models:
                  - name: m
                    columns:
                      - name: delta
                        data_tests: [sum_delta]
                      - name: id
                        data_tests:
                          - sum_delta:
                              config: {severity: warn}
                """,
        ])
        let out = fx.run(.build)
        // two rows each: count(*) would fail both; sum(delta) = 0 passes, sum(id) = 3 fails but only warns
        #expect(out.exitCode == 0, "\(fx.errorOutput)")
        let tests = out.results.filter { $0.uniqueId.hasPrefix("test.") }
        #expect(tests.map(\.status).sorted() == ["pass", "warn"], "\(tests.map { ($0.uniqueId, $0.status, $0.message) })")
        #expect(tests.first { $0.status == "warn" }?.message.contains("Got 3 results") == true)
    }
}
