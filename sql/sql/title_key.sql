-- title_key(title): the matching key of titles (the loader's TitleNormalizer.key is the same rule;
-- TitleKeyAgreementTests compares the two on every real title).
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS fitness;
DROP SCHEMA IF EXISTS fitness CASCADE;
RESET client_min_messages;
CREATE EXTENSION fitness;

-- Case, NFC, every kind of Unicode white space (tab, CR LF, no-break, ideographic, thin, line separator),
-- collapsed and trimmed; a combining accent after a space stays; a blank title is the empty key.
SELECT label, '[' || fitness.title_key(t) || ']' AS key, normalize(fitness.title_key(t), NFC) = fitness.title_key(t) AS is_nfc
FROM (VALUES ('plain', 'Bench Press (Barbell)'),
             ('tab, no-break spaces, CR LF', E'\tBench\u00a0\u00a0PRESS (barbell)\r\n'),
             ('decomposed accent', U&'Extens\0061\0303o de Tr\00edceps'),
             ('ideographic, thin, line sep.', U&'Squat\3000\2009(Barbell)\2028'),
             ('mark after a space', U&'Row \0301x'),
             ('blank', E' \t ')) AS v(label, t);
SELECT fitness.title_key(NULL) IS NULL AS null_is_null;

DROP EXTENSION fitness;
DROP SCHEMA fitness;
