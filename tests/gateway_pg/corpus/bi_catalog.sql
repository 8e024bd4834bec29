-- title: tableau foreign keys (generate_series positions)
SELECT NULL::text AS PKTABLE_CAT, pkn.nspname AS PKTABLE_SCHEM, pkc.relname AS PKTABLE_NAME,
  pka.attname AS PKCOLUMN_NAME, NULL::text AS FKTABLE_CAT, fkn.nspname AS FKTABLE_SCHEM,
  fkc.relname AS FKTABLE_NAME, fka.attname AS FKCOLUMN_NAME, pos.n AS KEY_SEQ,
  CASE con.confupdtype WHEN 'c' THEN 0 WHEN 'n' THEN 2 WHEN 'd' THEN 4 WHEN 'r' THEN 1 WHEN 'p' THEN 1 WHEN 'a' THEN 3 ELSE NULL END AS UPDATE_RULE,
  con.conname AS FK_NAME, pkic.relname AS PK_NAME,
  CASE WHEN con.condeferrable AND con.condeferred THEN 5 WHEN con.condeferrable THEN 6 ELSE 7 END AS DEFERRABILITY
FROM pg_catalog.pg_namespace pkn, pg_catalog.pg_class pkc, pg_catalog.pg_attribute pka,
  pg_catalog.pg_namespace fkn, pg_catalog.pg_class fkc, pg_catalog.pg_attribute fka,
  pg_catalog.pg_constraint con, pg_catalog.generate_series(1, 32) pos(n), pg_catalog.pg_class pkic
WHERE pkn.oid = pkc.relnamespace AND pkc.oid = pka.attrelid AND pka.attnum = con.confkey[pos.n]
  AND con.confrelid = pkc.oid AND fkn.oid = fkc.relnamespace AND fkc.oid = fka.attrelid
  AND fka.attnum = con.conkey[pos.n] AND con.conrelid = fkc.oid AND con.contype = 'f'
  AND (pkic.relkind = 'i' OR pkic.relkind = 'I') AND pkic.oid = con.conindid
  AND fkn.nspname = 'public' AND fkc.relname = 'orders'
ORDER BY pkn.nspname, pkc.relname, con.conname, pos.n;

-- title: tableau desktop tables
select relname, nspname, relkind from pg_catalog.pg_class c, pg_catalog.pg_namespace n
where relkind in ('r', 'v', 'm', 'f') and nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'pg_temp_1')
  and n.oid = relnamespace order by nspname, relname;

-- title: tableau desktop columns
select n.nspname, c.relname, a.attname, a.atttypid, t.typname, a.attnum, a.attlen, a.atttypmod,
  a.attnotnull, c.relhasrules, c.relkind, c.oid, pg_get_expr(d.adbin, d.adrelid),
  case t.typtype when 'd' then t.typbasetype else 0 end, t.typtypmod
from (((pg_catalog.pg_class c inner join pg_catalog.pg_namespace n on n.oid = c.relnamespace)
  inner join pg_catalog.pg_attribute a on (not a.attisdropped) and a.attnum > 0 and a.attrelid = c.oid)
  inner join pg_catalog.pg_type t on t.oid = a.atttypid)
  left outer join pg_attrdef d on a.atthasdef and d.adrelid = a.attrelid and d.adnum = a.attnum
where c.relname = 'orders'
order by n.nspname, c.relname, attnum;

-- title: tableau desktop primary keys (0-based int2vector subscript)
SELECT ta.attname, ia.attnum, ic.relname, n.nspname, tc.relname
FROM pg_catalog.pg_attribute ta, pg_catalog.pg_attribute ia, pg_catalog.pg_class tc,
  pg_catalog.pg_index i, pg_catalog.pg_namespace n, pg_catalog.pg_class ic
WHERE tc.relname = 'orders' AND n.nspname = 'public' AND tc.oid = i.indrelid
  AND n.oid = tc.relnamespace AND i.indisprimary = 't' AND ia.attrelid = i.indexrelid
  AND ta.attrelid = i.indrelid AND ta.attnum = i.indkey [ia.attnum-1]
  AND (NOT ta.attisdropped) AND (NOT ia.attisdropped) AND ic.oid = i.indexrelid
ORDER BY ia.attnum;

-- title: tableau constraints with generate_series(array_lower, array_upper)
select 'test'::name as PKTABLE_CAT, n2.nspname as PKTABLE_SCHEM, c2.relname as PKTABLE_NAME,
  a2.attname as PKCOLUMN_NAME, i::int2 as KEY_SEQ, ref.conname as FK_NAME, cn.conname as PK_NAME
from ((((((( (select cn.oid, conrelid, conkey, confrelid, confkey,
    generate_series(array_lower(conkey, 1), array_upper(conkey, 1)) as i,
    confupdtype, confdeltype, conname, condeferrable, condeferred
  from pg_catalog.pg_constraint cn, pg_catalog.pg_class c, pg_catalog.pg_namespace n
  where contype = 'f' and conrelid = c.oid and relname = 'orders' and n.oid = c.relnamespace
    and n.nspname = 'public') ref
  inner join pg_catalog.pg_class c1 on c1.oid = ref.conrelid)
  inner join pg_catalog.pg_namespace n1 on n1.oid = c1.relnamespace)
  inner join pg_catalog.pg_attribute a1 on a1.attrelid = c1.oid and a1.attnum = conkey[i])
  inner join pg_catalog.pg_class c2 on c2.oid = ref.confrelid)
  inner join pg_catalog.pg_namespace n2 on n2.oid = c2.relnamespace)
  inner join pg_catalog.pg_attribute a2 on a2.attrelid = c2.oid and a2.attnum = confkey[i])
  left outer join pg_catalog.pg_constraint cn on cn.conrelid = ref.confrelid and cn.contype = 'p')
order by ref.oid, ref.i;

-- title: excel table list
SELECT '{database}' as Database, ns.nspname as Schema, relname as Name,
  CASE WHEN ns.nspname Like E'pg\\_catalog' then 'Catalog' WHEN ns.nspname Like E'information\\_schema' then 'Information'
    WHEN relkind = 'f' then 'Foreign' ELSE 'User' END as TableType,
  pg_get_userbyid(relowner) AS definer, rel.oid as Oid, relacl as ACL, true as HasOids,
  relhassubclass as HasSubtables, reltuples as RowNumber, description as Comment,
  relnatts as ColumnNumber, relhastriggers as TriggersNumber, conname as Constraint,
  conkey as ColumnConstrainsIndexes
FROM pg_class rel INNER JOIN pg_namespace ns ON relnamespace = ns.oid
  LEFT OUTER JOIN pg_description des ON des.objoid = rel.oid AND des.objsubid = 0
  LEFT OUTER JOIN pg_constraint c ON c.conrelid = rel.oid AND c.contype = 'p'
WHERE ((relkind = 'r') OR (relkind = 's') OR (relkind = 'f'))
  AND NOT ns.nspname LIKE E'pg\\_temp\\_%%' AND NOT ns.nspname like E'pg\\_%'
  AND NOT ns.nspname like E'information\\_schema' AND ns.nspname::varchar like E'public'
  AND relname::varchar like '%' AND pg_get_userbyid(relowner)::varchar like '%'
ORDER BY relname;

-- title: excel type lookup
SELECT typname as name, t.oid as oid, typtype as Type, typelem as TypeElement
FROM pg_type t WHERE t.oid::varchar like '1034' and typtype::varchar like 'b' and typelem != 0;

-- title: excel column details (primary key via = ANY)
SELECT a.attname as fieldname, a.attnum as fieldordinal, a.atttypid as datatype,
  a.atttypmod as fieldmod, a.attnotnull as isnull, c.relname as tablename, n.nspname as schema,
  CASE WHEN exists(select null from pg_constraint c1 where c1.conrelid = c.oid and c1.contype = 'p'
    and a.attnum = ANY (c1.conkey)) THEN true ELSE false END as iskey,
  CAST(pg_get_expr(d.adbin, d.adrelid) AS varchar) as defvalue,
  CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END as basetype
FROM pg_namespace n INNER JOIN pg_class c ON c.relnamespace = n.oid
  INNER JOIN pg_attribute a on c.oid = a.attrelid
  LEFT JOIN pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
  LEFT JOIN pg_type t on t.oid = a.atttypid
WHERE a.attisdropped = false AND ((c.relkind = 'r') OR (c.relkind = 'v')) AND a.attnum > 0
  AND ((c.relname LIKE 'orders' AND n.nspname LIKE 'public'))
ORDER BY tablename, fieldordinal;

-- title: metabase table probe is a data query, not a catalog one
-- expect: gap: the engine (gateway/engine, not the catalog) names SELECT TRUE's column bool; PostgreSQL names it ?column?
SELECT TRUE FROM "public"."orders" WHERE 1 <> 1 LIMIT 0;

-- title: metabase and dbeaver schema list
SELECT nspname AS "TABLE_SCHEM", NULL AS "TABLE_CATALOG" FROM pg_catalog.pg_namespace
WHERE nspname <> 'pg_toast' AND (nspname !~ '^pg_temp_' OR nspname = (pg_catalog.current_schemas(true))[1])
  AND (nspname !~ '^pg_toast_temp_' OR nspname = replace((pg_catalog.current_schemas(true))[1], 'pg_temp_', 'pg_toast_temp_'))
ORDER BY "TABLE_SCHEM";

-- title: dbeaver connect-time queries
SELECT current_schema(), session_user;

-- title: dbeaver database list
-- expect: subset: the server holds other databases; the gateway shows only db
-- expect: ignore datfrozenxid, datminmxid: transaction-id horizons of the server
SELECT db.oid, db.* FROM pg_catalog.pg_database db WHERE datallowconn AND NOT datistemplate ORDER BY db.datname;

-- title: powerbi / npgsql type loading
-- expect: subset: PostgreSQL also has information_schema's domains and types the gateway's wire does not carry
SELECT ns.nspname, typ_and_elem_type.*,
  CASE WHEN typtype IN ('b', 'e', 'p') THEN 0 WHEN typtype = 'r' THEN 1 WHEN typtype = 'd' THEN
    CASE WHEN elemtyptype IN ('b', 'e', 'p') THEN 2 ELSE 3 END
  WHEN typtype = 'c' THEN 4 WHEN typtype = 'a' THEN
    CASE WHEN elemtyptype IN ('b', 'e', 'p') THEN 5 ELSE 6 END END AS ord
FROM (SELECT typ.oid, typ.typnamespace, typ.typname, typ.typtype, typ.typrelid, typ.typnotnull,
    typ.relkind, elemtyp.oid AS elemtypoid, elemtyp.typname AS elemtypname, elemcls.relkind AS elemrelkind,
    CASE WHEN elemproc.proname='array_recv' THEN 'a' ELSE elemtyp.typtype END AS elemtyptype
  FROM (SELECT typ.oid, typnamespace, typname, typrelid, typnotnull, relkind, typelem AS elemoid,
      CASE WHEN proc.proname='array_recv' THEN 'a' ELSE typ.typtype END AS typtype,
      CASE WHEN proc.proname='array_recv' THEN typ.typelem WHEN typ.typtype='r' THEN rngsubtype
        WHEN typ.typtype='d' THEN typ.typbasetype END AS elemtypoid
    FROM pg_type AS typ LEFT JOIN pg_class AS cls ON (cls.oid = typ.typrelid)
      LEFT JOIN pg_proc AS proc ON proc.oid = typ.typreceive
      LEFT JOIN pg_range ON (pg_range.rngtypid = typ.oid)) AS typ
  LEFT JOIN pg_type AS elemtyp ON elemtyp.oid = elemtypoid
  LEFT JOIN pg_class AS elemcls ON (elemcls.oid = elemtyp.typrelid)
  LEFT JOIN pg_proc AS elemproc ON elemproc.oid = elemtyp.typreceive) AS typ_and_elem_type
JOIN pg_namespace AS ns ON (ns.oid = typnamespace)
WHERE typtype IN ('b', 'r', 'e', 'd') OR (typtype = 'c' AND relkind='c') OR (typtype='p' AND typname IN ('record', 'void'))
  OR (typtype = 'a' AND (elemtyptype IN ('b', 'r', 'e', 'd') OR (elemtyptype = 'p' AND elemtypname IN ('record', 'void')) OR (elemtyptype = 'c' AND elemrelkind='c')))
ORDER BY ord;
