-- name: schemas with xmin state numbers (DataGrip's shape)
-- expect: ignore state_number: xmin is the transaction that wrote the row, the server's own
select N.oid::bigint as id, N.xmin as state_number, nspname as name, D.description,
  pg_catalog.pg_get_userbyid(N.nspowner) as "owner"
from pg_catalog.pg_namespace N left join pg_catalog.pg_description D on N.oid = D.objoid
where N.nspname in ('public', 'pg_catalog', 'information_schema')
order by case when nspname = current_schema then -1::bigint else N.oid::bigint end;

-- name: tables with xmin
-- expect: ignore state_number: xmin is the transaction that wrote the row, the server's own
select c.oid, c.xmin as state_number, c.relname from pg_catalog.pg_class c
where c.relnamespace = 'public'::regnamespace order by c.relname;

-- name: typreceive != 0 type load (ADBC)
-- expect: subset: PostgreSQL also has types the gateway's wire does not carry
SELECT oid, typname, typreceive, typbasetype, typrelid, typarray FROM pg_catalog.pg_type
WHERE (typreceive != 0 OR typsend != 0) AND typtype != 'r' AND typreceive::TEXT != 'array_recv';

-- name: regproc columns as text and compared
SELECT typname, typinput, typoutput::text, typreceive = 'int4recv'::regproc AS is_int4
FROM pg_catalog.pg_type WHERE oid IN (16, 23, 25, 1007) ORDER BY oid;

-- name: relkind = ANY array literal
SELECT c.relname, c.relkind FROM pg_catalog.pg_class c
WHERE c.relkind = ANY('{r,p,f}') AND c.relnamespace = 2200 ORDER BY 1;

-- name: ::regtype[] cast of a literal
SELECT '{int4,text,bool}'::regtype[];

-- name: ::regtype[] in a comparison with an OID
SELECT 'int4'::regtype = ANY('{int4,text}'::regtype[]) AS found;

-- name: string_to_array
SELECT string_to_array('public,pg_catalog', ','), array_length(string_to_array('a,b,c', ','), 1);

-- name: parse_ident
SELECT parse_ident('public.orders'), parse_ident('"Mixed Case".x');

-- name: pg_get_keywords
SELECT word, catcode, barelabel FROM pg_catalog.pg_get_keywords() WHERE catcode = 'R' ORDER BY word;

-- name: pg_get_keywords count
SELECT count(*) FROM pg_get_keywords();

-- name: pg_partition_ancestors of a table
SELECT relid::regclass FROM pg_partition_ancestors('orders'::regclass);

-- name: pg_timezone_abbrevs
SELECT abbrev, utc_offset, is_dst FROM pg_catalog.pg_timezone_abbrevs WHERE abbrev IN ('UTC', 'CET', 'EST', 'PDT') ORDER BY 1;

-- name: star inside a subquery
SELECT t.relname FROM (SELECT * FROM pg_catalog.pg_class WHERE relnamespace = 2200) t ORDER BY 1;

-- name: star of an alias inside a subquery
SELECT s.nspname, s.oid FROM (SELECT n.* FROM pg_catalog.pg_namespace n) s WHERE s.nspname = 'public';

-- name: current_schemas
SELECT current_schemas(true), current_schemas(false), current_schema();

-- name: pg_typeof
SELECT pg_typeof(1), pg_typeof(1::bigint), pg_typeof('a'::text), pg_typeof(true), pg_typeof(1.5);

-- name: col_description says dimension or measure
SELECT a.attname, col_description(a.attrelid, a.attnum) FROM pg_catalog.pg_attribute a
WHERE a.attrelid = 'orders'::regclass AND a.attnum > 0 ORDER BY a.attnum;

-- name: pg_description of the cubes' columns
SELECT c.relname, d.objsubid, d.description FROM pg_catalog.pg_description d
JOIN pg_catalog.pg_class c ON c.oid = d.objoid WHERE c.relnamespace = 2200 ORDER BY 1, 2;

-- name: information_schema column comments through col_description
SELECT column_name, data_type, col_description('public.orders'::regclass, ordinal_position::int) AS comment
FROM information_schema.columns WHERE table_name = 'orders' ORDER BY ordinal_position;

-- name: system columns of a cube's table
SELECT attname, attnum, atttypid FROM pg_catalog.pg_attribute WHERE attrelid = 'orders'::regclass AND attnum < 0 ORDER BY attnum;

-- name: to_regclass with quoted and qualified names
SELECT to_regclass('orders') IS NOT NULL, to_regclass('public.orders') IS NOT NULL, to_regclass('"orders"') IS NOT NULL, to_regclass('nope') IS NULL;

-- name: bare oid column through ::regclass
SELECT oid::regclass, relname FROM pg_catalog.pg_class WHERE relnamespace = 2200 ORDER BY 2;

-- name: bare oid column through format_type
SELECT oid, format_type(oid, NULL) FROM pg_catalog.pg_type WHERE oid IN (16, 23, 25, 1700) ORDER BY 1;

-- name: bare typname through ::regtype
SELECT typname::regtype FROM pg_catalog.pg_type WHERE oid IN (16, 23, 1114) ORDER BY oid;

-- name: regclass and regtype literals shown
-- expect: gap: regnamespace (4089) is not among the wire's types (gateway/postgres/types.py), so it is sent as text
SELECT 'int4'::regtype, 'pg_class'::regclass, 'orders'::regclass, 'public'::regnamespace;

-- name: regclass compared, cast to oid and to text
SELECT c.relname, c.oid = 'orders'::regclass AS is_orders, 'orders'::regclass::oid = c.oid AS same,
  c.oid::regclass::text AS shown FROM pg_catalog.pg_class c WHERE c.relnamespace = 2200 ORDER BY 1;

-- name: regtype shown inside CASE and concatenation
SELECT a.attname, CASE WHEN a.attnum > 0 THEN a.atttypid::regtype END AS t,
  'type: ' || a.atttypid::regtype AS label
FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'orders'::regclass AND a.attnum > 0 ORDER BY a.attnum;
