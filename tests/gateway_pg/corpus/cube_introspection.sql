-- Connect-time and catalog statements of BI tools as Cube's SQL API tests record them
-- (cube-js/cube rust/cubesql/cubesql/src/compile/test/test_introspection.rs), PostgreSQL
-- protocol only. Table names and OIDs adapted to the test model (orders, secrets); the tool
-- is the first word of each title.

-- title: datagrip introspection
select current_database(), current_catalog, current_schema(), current_user;

-- title: dbeaver init
SELECT current_schema(), session_user;

-- title: dbeaver databases
-- expect: ignore datfrozenxid, datminmxid: transaction-id horizons of the server
SELECT db.oid,db.* FROM pg_catalog.pg_database db WHERE datname = '{database}';

-- title: dbeaver namespaces
-- expect: subset: PostgreSQL also has pg_toast
SELECT n.oid,n.*,d.description FROM pg_catalog.pg_namespace n
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=n.oid AND d.objsubid=0 AND d.classoid='pg_namespace'::regclass
ORDER BY nspname;

-- title: dbeaver types
-- expect: subset: PostgreSQL also has types the gateway's wire does not carry (tid, geometric, network...)
SELECT t.oid,t.*,c.relkind,format_type(nullif(t.typbasetype, 0), t.typtypmod) as base_type_name, d.description
FROM pg_catalog.pg_type t
LEFT OUTER JOIN pg_catalog.pg_type et ON et.oid=t.typelem
LEFT OUTER JOIN pg_catalog.pg_class c ON c.oid=t.typrelid
LEFT OUTER JOIN pg_catalog.pg_description d ON t.oid=d.objoid
WHERE t.typname IS NOT NULL
AND (c.relkind IS NULL OR c.relkind = 'c') AND (et.typcategory IS NULL OR et.typcategory <> 'C')
ORDER BY t.oid ASC;

-- title: dbeaver tables with descriptions
-- expect: ignore reltoastrelid, relfrozenxid, relminmxid: TOAST tables and transaction-id horizons of the server's storage
SELECT c.oid,c.*,d.description,pg_catalog.pg_get_expr(c.relpartbound, c.oid) as partition_expr,  pg_catalog.pg_get_partkeydef(c.oid) as partition_key
FROM pg_catalog.pg_class c
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0 AND d.classoid='pg_class'::regclass
WHERE c.relnamespace=2200 AND c.relkind not in ('i','I','c')
ORDER BY c.oid;

-- title: dbeaver table sizes
-- expect: ignore total_rel_size, rel_size: relation sizes (the gateway holds no data)
select c.oid,pg_catalog.pg_total_relation_size(c.oid) as total_rel_size,pg_catalog.pg_relation_size(c.oid) as rel_size
FROM pg_class c
WHERE c.relnamespace=2200
ORDER BY c.oid;

-- title: dbeaver columns
-- expect: gap: attmissingval is anyarray (2277) in PostgreSQL; the wire has no anyarray type, so it is sent as text
SELECT c.relname,a.*,pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) as def_value,dsc.description,dep.objid
FROM pg_catalog.pg_attribute a
INNER JOIN pg_catalog.pg_class c ON (a.attrelid=c.oid)
LEFT OUTER JOIN pg_catalog.pg_attrdef ad ON (a.attrelid=ad.adrelid AND a.attnum = ad.adnum)
LEFT OUTER JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)
LEFT OUTER JOIN pg_depend dep on dep.refobjid = a.attrelid AND dep.deptype = 'i' and dep.refobjsubid = a.attnum and dep.classid = dep.refclassid
WHERE NOT a.attisdropped AND c.relkind not in ('i','I','c') AND c.oid={oid:orders}
ORDER BY a.attnum;

-- title: postico schemas
-- expect: subset: PostgreSQL also has pg_toast
SELECT oid, nspname, nspname = ANY (current_schemas(true)) AS is_on_search_path,
  oid = pg_my_temp_schema() AS is_my_temp_schema, pg_is_other_temp_schema(oid) AS is_other_temp_schema
FROM pg_namespace;

-- title: tableau regclass table list
SELECT NULL AS TABLE_CAT, n.nspname AS TABLE_SCHEM, c.relname AS TABLE_NAME,
  CASE n.nspname ~ '^pg_' OR n.nspname = 'information_schema'
    WHEN true THEN CASE WHEN n.nspname = 'pg_catalog' OR n.nspname = 'information_schema' THEN
        CASE c.relkind WHEN 'r' THEN 'SYSTEM TABLE' WHEN 'v' THEN 'SYSTEM VIEW' WHEN 'i' THEN 'SYSTEM INDEX' ELSE NULL end
      WHEN n.nspname = 'pg_toast' THEN
        CASE c.relkind WHEN 'r' THEN 'SYSTEM TOAST TABLE' WHEN 'i' THEN 'SYSTEM TOAST INDEX' ELSE NULL end
      ELSE CASE c.relkind WHEN 'r' THEN 'TEMPORARY TABLE' WHEN 'p' THEN 'TEMPORARY TABLE' WHEN 'i' THEN 'TEMPORARY INDEX'
        WHEN 'S' THEN 'TEMPORARY SEQUENCE' WHEN 'v' THEN 'TEMPORARY VIEW' ELSE NULL end
    end
    WHEN false THEN CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'PARTITIONED TABLE' WHEN 'i' THEN 'INDEX'
      WHEN 'P' THEN 'PARTITIONED INDEX' WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'c' THEN 'TYPE'
      WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE NULL end
    ELSE NULL
  end AS TABLE_TYPE,
  d.description AS REMARKS, '' AS TYPE_CAT, '' AS TYPE_SCHEM, '' AS TYPE_NAME,
  '' AS SELF_REFERENCING_COL_NAME, '' AS REF_GENERATION
FROM pg_catalog.pg_namespace n, pg_catalog.pg_class c
  LEFT JOIN pg_catalog.pg_description d ON ( c.oid = d.objoid AND d.objsubid = 0 AND d.classoid = 'pg_class' :: regclass )
WHERE c.relnamespace = n.oid
  AND ( false OR ( c.relkind = 'f' ) OR ( c.relkind = 'm' )
    OR ( c.relkind = 'p' AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' )
    OR ( c.relkind = 'r' AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' )
    OR ( c.relkind = 'v' AND n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema' ) )
ORDER BY TABLE_SCHEM ASC, TABLE_NAME ASC;

-- title: tableau get_expr column flags
SELECT c.oid, a.attnum, a.attname, c.relname, n.nspname, a.attnotnull OR ( t.typtype = 'd' AND t.typnotnull ), a.attidentity != '' OR pg_catalog.Pg_get_expr(d.adbin, d.adrelid) LIKE '%nextval(%'
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON ( c.relnamespace = n.oid )
JOIN pg_catalog.pg_attribute a ON ( c.oid = a.attrelid )
JOIN pg_catalog.pg_type t ON ( a.atttypid = t.oid )
LEFT JOIN pg_catalog.pg_attrdef d ON ( d.adrelid = a.attrelid AND d.adnum = a.attnum )
JOIN (SELECT {oid:orders} AS oid, 2 AS attnum UNION ALL SELECT {oid:orders}, 5 UNION ALL SELECT {oid:secrets}, 2) vals
ON ( c.oid = vals.oid AND a.attnum = vals.attnum );

-- title: tableau desktop constraints
select 'test'::name as PKTABLE_CAT, n2.nspname as PKTABLE_SCHEM, c2.relname as PKTABLE_NAME,
  a2.attname as PKCOLUMN_NAME, 'test'::name as FKTABLE_CAT, n1.nspname as FKTABLE_SCHEM,
  c1.relname as FKTABLE_NAME, a1.attname as FKCOLUMN_NAME, i::int2 as KEY_SEQ,
  case ref.confupdtype when 'c' then 0::int2 when 'n' then 2::int2 when 'd' then 4::int2 when 'r' then 1::int2 else 3::int2 end as UPDATE_RULE,
  case ref.confdeltype when 'c' then 0::int2 when 'n' then 2::int2 when 'd' then 4::int2 when 'r' then 1::int2 else 3::int2 end as DELETE_RULE,
  ref.conname as FK_NAME, cn.conname as PK_NAME,
  case when ref.condeferrable then case when ref.condeferred then 5::int2 else 6::int2 end else 7::int2 end as DEFERRABLITY
from ((((((( (select cn.oid, conrelid, conkey, confrelid, confkey,
     generate_series(array_lower(conkey, 1), array_upper(conkey, 1)) as i,
     confupdtype, confdeltype, conname, condeferrable, condeferred
   from pg_catalog.pg_constraint cn, pg_catalog.pg_class c, pg_catalog.pg_namespace n
   where contype = 'f' and conrelid = c.oid and relname = 'orders' and n.oid = c.relnamespace and n.nspname = 'public'
  ) ref
  inner join pg_catalog.pg_class c1 on c1.oid = ref.conrelid)
  inner join pg_catalog.pg_namespace n1 on n1.oid = c1.relnamespace)
  inner join pg_catalog.pg_attribute a1 on a1.attrelid = c1.oid and a1.attnum = conkey[i])
  inner join pg_catalog.pg_class c2 on c2.oid = ref.confrelid)
  inner join pg_catalog.pg_namespace n2 on n2.oid = c2.relnamespace)
  inner join pg_catalog.pg_attribute a2 on a2.attrelid = c2.oid and a2.attnum = confkey[i])
  left outer join pg_catalog.pg_constraint cn on cn.conrelid = ref.confrelid and cn.contype = 'p')
order by ref.oid, ref.i;

-- title: tableau desktop table columns by oid
select n.nspname, c.relname, a.attname, a.atttypid, t.typname, a.attnum, a.attlen, a.atttypmod,
  a.attnotnull, c.relhasrules, c.relkind, c.oid, pg_get_expr(d.adbin, d.adrelid),
  case t.typtype when 'd' then t.typbasetype else 0 end, t.typtypmod
from (((pg_catalog.pg_class c inner join pg_catalog.pg_namespace n on n.oid = c.relnamespace and c.oid = {oid:orders})
  inner join pg_catalog.pg_attribute a on (not a.attisdropped) and a.attnum > 0 and a.attrelid = c.oid)
  inner join pg_catalog.pg_type t on t.oid = a.atttypid)
  left outer join pg_attrdef d on a.atthasdef and d.adrelid = a.attrelid and d.adnum = a.attnum
order by n.nspname, c.relname, attnum;

-- title: tableau primary key via _pg_expandarray
SELECT result.TABLE_CAT, result.TABLE_SCHEM, result.TABLE_NAME, result.COLUMN_NAME, result.KEY_SEQ, result.PK_NAME
FROM (SELECT NULL AS TABLE_CAT, n.nspname AS TABLE_SCHEM, ct.relname AS TABLE_NAME, a.attname AS COLUMN_NAME,
    (information_schema._pg_expandarray(i.indkey)).n AS KEY_SEQ, ci.relname AS PK_NAME,
    information_schema._pg_expandarray(i.indkey) AS KEYS, a.attnum AS A_ATTNUM
  FROM pg_catalog.pg_class ct
  JOIN pg_catalog.pg_attribute a ON (ct.oid = a.attrelid)
  JOIN pg_catalog.pg_namespace n ON (ct.relnamespace = n.oid)
  JOIN pg_catalog.pg_index i ON (a.attrelid = i.indrelid)
  JOIN pg_catalog.pg_class ci ON (ci.oid = i.indexrelid)
  WHERE true AND n.nspname = 'public' AND ct.relname = 'orders' AND i.indisprimary) result
where result.A_ATTNUM = (result.KEYS).x
ORDER BY result.table_name, result.pk_name, result.key_seq;

-- title: excel select db
SELECT '{database}' as Database, ns.nspname as Schema, relname as Name,
  CASE WHEN ns.nspname Like E'pg\\_catalog' then 'Catalog' WHEN ns.nspname Like E'information\\_schema' then 'Information'
    WHEN relkind = 'f' then 'Foreign' ELSE 'User' END as TableType,
  pg_get_userbyid(relowner) AS definer, rel.oid as Oid, relacl as ACL, true as HasOids,
  relhassubclass as HasSubtables, reltuples as RowNumber, description as Comment, relnatts as ColumnNumber,
  relhastriggers as TriggersNumber, conname as Constraint, conkey as ColumnConstrainsIndexes
FROM pg_class rel
INNER JOIN pg_namespace ns ON relnamespace = ns.oid
LEFT OUTER JOIN pg_description des ON des.objoid = rel.oid AND des.objsubid = 0
LEFT OUTER JOIN pg_constraint c ON c.conrelid = rel.oid AND c.contype = 'p'
WHERE ((relkind = 'r') OR (relkind = 's') OR (relkind = 'f'))
  AND NOT ns.nspname LIKE E'pg\\_temp\\_%%' AND NOT ns.nspname like E'pg\\_%' AND NOT ns.nspname like E'information\\_schema'
  AND ns.nspname::varchar like E'public' AND relname::varchar like '%' AND pg_get_userbyid(relowner)::varchar like '%'
ORDER BY relname;

-- title: excel composite type lookup
SELECT typname as name, n.nspname as Schema, pg_get_userbyid(typowner) as Definer, typlen as Length,
  t.oid as oid, typbyval as IsReferenceType,
  case when typtype = 'b' then 'base' when typtype = 'd' then 'domain' when typtype = 'c' then 'composite' when typtype = 'd' then 'pseudo' end as Type,
  case when typalign = 'c' then 'char' when typalign = 's' then 'short' when typalign = 'i' then 'int' else 'double' end as alignment,
  case when typstorage = 'p' then 'plain' when typstorage = 'e' then 'secondary' when typstorage = 'm' then 'compressed inline' else 'secondary or compressed inline' end as ValueStorage,
  typdefault as DefaultValue, description as comment
FROM pg_type t LEFT OUTER JOIN pg_description des ON des.objoid = t.oid, pg_namespace n
WHERE t.typnamespace = n.oid and t.oid::varchar like E'1033' and typname like E'%' and n.nspname like E'%'
  and pg_get_userbyid(typowner)::varchar like E'%' and typtype::varchar like E'c'
ORDER BY name;

-- title: excel aclitem array lookup
SELECT typname as name, t.oid as oid, typtype as Type, typelem as TypeElement
FROM pg_type t WHERE t.oid::varchar like '1034' and typtype::varchar like 'b' and typelem != 0;

-- title: excel foreign key constraints
SELECT a.conname as Name, ns.nspname as Schema, mycl.relname as Table, b.conname as ReferencedKey,
  frns.nspname as ReferencedSchema, frcl.relname as ReferencedTable, a.oid as Oid, a.conkey as ColumnIndexes,
  a.confkey as ForeignColumnIndexes, a.confupdtype as UpdateActionCode, a.confdeltype as DeleteActionCode,
  a.confmatchtype as ForeignKeyMatchType, a.condeferrable as IsDeferrable, a.condeferred as Iscondeferred
FROM pg_constraint a
inner join pg_constraint b on (a.confrelid = b.conrelid AND a.confkey = b.conkey)
INNER JOIN pg_namespace ns ON a.connamespace = ns.oid
INNER JOIN pg_class mycl ON a.conrelid = mycl.oid
LEFT OUTER JOIN pg_class frcl ON a.confrelid = frcl.oid
INNER JOIN pg_namespace frns ON frcl.relnamespace = frns.oid
WHERE a.contype = 'f' AND (b.contype = 'p' OR b.contype = 'u') AND a.oid::varchar like '%' AND a.conname like '%'
  AND ns.nspname like E'public' AND mycl.relname like E'orders' AND frns.nspname like '%' AND frcl.relname like '%'
ORDER BY 1;

-- title: excel attribute names
SELECT DISTINCT attname AS Name, attnum FROM pg_attribute
JOIN pg_class ON oid = attrelid
INNER JOIN pg_namespace ON pg_class.relnamespace = pg_namespace.oid
WHERE attnum > 0 AND attisdropped IS FALSE AND pg_namespace.nspname like 'public' AND relname like 'orders' AND attnum in (2);

-- title: excel fkey by name
SELECT nspname as Schema, cl.relname as Table, clr.relname as RefTableName, conname as Name,
  conkey as ColumnIndexes, confkey as ColumnRefIndexes
FROM pg_constraint
INNER JOIN pg_namespace ON connamespace = pg_namespace.oid
INNER JOIN pg_class cl ON conrelid = cl.oid
INNER JOIN pg_class clr ON confrelid = clr.oid
WHERE contype = 'f' AND conname like E'sample\\_fkey' AND nspname like E'public' AND cl.relname like E'orders'
order by 1;

-- title: excel column existence details
SELECT a.attname as fieldname, a.attnum as fieldordinal, a.atttypid as datatype, a.atttypmod as fieldmod,
  a.attnotnull as isnull, c.relname as tablename, n.nspname as schema,
  CASE WHEN exists(select null from pg_constraint c1 where c1.conrelid = c.oid and c1.contype = 'p' and a.attnum = ANY (c1.conkey)) THEN true ELSE false END as iskey,
  CASE WHEN exists(select null from pg_constraint c1 where c1.conrelid = c.oid and c1.contype = 'u' and a.attnum = ANY (c1.conkey)) THEN true ELSE false END as isunique,
  CAST(pg_get_expr(d.adbin, d.adrelid) AS varchar) as defvalue,
  CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END as basetype,
  CASE WHEN a.attidentity = 'a' THEN true ELSE false END as IsAutoIncrement
FROM pg_namespace n
INNER JOIN pg_class c ON c.relnamespace = n.oid
INNER JOIN pg_attribute a on c.oid = a.attrelid
LEFT JOIN pg_attrdef d on d.adrelid = a.attrelid and d.adnum =a.attnum
LEFT JOIN pg_type t on t.oid = a.atttypid
WHERE a.attisdropped = false AND ((c.relkind = 'r') OR (c.relkind = 's') OR (c.relkind = 'v') OR (c.relkind = 'm') OR (c.relkind = 'f'))
  AND a.attnum > 0 AND ((c.relname LIKE 'orders' AND n.nspname LIKE 'public'))
ORDER BY tablename, fieldordinal;

-- title: powerbi supported types
-- expect: subset: PostgreSQL also has information_schema's domains and types the gateway's wire does not carry
SELECT ns.nspname, a.typname, a.oid, a.typrelid, a.typbasetype,
  CASE WHEN pg_proc.proname='array_recv' THEN 'a' ELSE a.typtype END AS type,
  CASE WHEN pg_proc.proname='array_recv' THEN a.typelem WHEN a.typtype='r' THEN rngsubtype ELSE 0 END AS elemoid,
  CASE WHEN pg_proc.proname IN ('array_recv','oidvectorrecv') THEN 3 WHEN a.typtype='r' THEN 2 WHEN a.typtype='d' THEN 1 ELSE 0 END AS ord
FROM pg_type AS a
JOIN pg_namespace AS ns ON (ns.oid = a.typnamespace)
JOIN pg_proc ON pg_proc.oid = a.typreceive
LEFT OUTER JOIN pg_class AS cls ON (cls.oid = a.typrelid)
LEFT OUTER JOIN pg_type AS b ON (b.oid = a.typelem)
LEFT OUTER JOIN pg_class AS elemcls ON (elemcls.oid = b.typrelid)
LEFT OUTER JOIN pg_range ON (pg_range.rngtypid = a.oid)
WHERE a.typtype IN ('b', 'r', 'e', 'd') OR (a.typtype = 'c' AND cls.relkind='c')
  OR (pg_proc.proname='array_recv' AND (b.typtype IN ('b', 'r', 'e', 'd')
    OR (b.typtype = 'p' AND b.typname IN ('record', 'void')) OR (b.typtype = 'c' AND elemcls.relkind='c')))
  OR (a.typtype = 'p' AND a.typname IN ('record', 'void'))
ORDER BY a.typname;

-- title: powerbi composite types
SELECT typ.oid, att.attname, att.atttypid
FROM pg_type AS typ
JOIN pg_namespace AS ns ON (ns.oid = typ.typnamespace)
JOIN pg_class AS cls ON (cls.oid = typ.typrelid)
JOIN pg_attribute AS att ON (att.attrelid = typ.typrelid)
WHERE (typ.typtype = 'c' AND cls.relkind='c') AND attnum > 0 AND NOT attisdropped
ORDER BY typ.oid, att.attnum;

-- title: powerbi enums
SELECT pg_type.oid, enumlabel FROM pg_enum JOIN pg_type ON pg_type.oid=enumtypid ORDER BY oid, enumsortorder;

-- title: powerbi table columns
-- expect: gap: CASE of character_data || text and character_data is varchar in PostgreSQL (domain resolution); the gateway reports text
select COLUMN_NAME, ORDINAL_POSITION, IS_NULLABLE, case when (data_type like '%unsigned%') then DATA_TYPE || ' unsigned' else DATA_TYPE end as DATA_TYPE
from INFORMATION_SCHEMA.columns
where TABLE_SCHEMA = 'public' and TABLE_NAME = 'orders'
order by TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION;

-- title: powerbi schemas
select TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE from INFORMATION_SCHEMA.tables
where TABLE_SCHEMA not in ('information_schema', 'pg_catalog') order by TABLE_SCHEMA, TABLE_NAME;

-- title: powerbi foreign keys from subquery
select pkcol.COLUMN_NAME as PK_COLUMN_NAME, fkcol.TABLE_SCHEMA AS FK_TABLE_SCHEMA, fkcol.TABLE_NAME AS FK_TABLE_NAME,
  fkcol.COLUMN_NAME as FK_COLUMN_NAME, fkcol.ORDINAL_POSITION as ORDINAL,
  fkcon.CONSTRAINT_SCHEMA || '_' || fkcol.TABLE_NAME || '_' || 'orders' || '_' || fkcon.CONSTRAINT_NAME as FK_NAME
from (select distinct constraint_catalog, constraint_schema, unique_constraint_schema, constraint_name, unique_constraint_name
    from INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS) fkcon
  inner join INFORMATION_SCHEMA.KEY_COLUMN_USAGE fkcol
    on fkcon.CONSTRAINT_SCHEMA = fkcol.CONSTRAINT_SCHEMA and fkcon.CONSTRAINT_NAME = fkcol.CONSTRAINT_NAME
  inner join INFORMATION_SCHEMA.KEY_COLUMN_USAGE pkcol
    on fkcon.UNIQUE_CONSTRAINT_SCHEMA = pkcol.CONSTRAINT_SCHEMA and fkcon.UNIQUE_CONSTRAINT_NAME = pkcol.CONSTRAINT_NAME
where pkcol.TABLE_SCHEMA = 'public' and pkcol.TABLE_NAME = 'orders' and pkcol.ORDINAL_POSITION = fkcol.ORDINAL_POSITION
order by FK_NAME, fkcol.ORDINAL_POSITION;

-- title: powerbi indexes with uppercase aliases
select i.CONSTRAINT_SCHEMA || '_' || i.CONSTRAINT_NAME as INDEX_NAME, ii.COLUMN_NAME, ii.ORDINAL_POSITION,
  case when i.CONSTRAINT_TYPE = 'PRIMARY KEY' then 'Y' else 'N' end as PRIMARY_KEY
from INFORMATION_SCHEMA.table_constraints i
inner join INFORMATION_SCHEMA.key_column_usage ii on i.CONSTRAINT_SCHEMA = ii.CONSTRAINT_SCHEMA
  and i.CONSTRAINT_NAME = ii.CONSTRAINT_NAME and i.TABLE_SCHEMA = ii.TABLE_SCHEMA and i.TABLE_NAME = ii.TABLE_NAME
where i.TABLE_SCHEMA = 'public' and i.TABLE_NAME = 'orders' and i.CONSTRAINT_TYPE in ('PRIMARY KEY', 'UNIQUE')
order by i.CONSTRAINT_SCHEMA || '_' || i.CONSTRAINT_NAME, ii.TABLE_SCHEMA, ii.TABLE_NAME, ii.ORDINAL_POSITION;

-- title: superset primary key attnames
SELECT a.attname FROM pg_attribute a JOIN (
  SELECT unnest(ix.indkey) attnum, generate_subscripts(ix.indkey, 1) ord
  FROM pg_index ix WHERE ix.indrelid = {oid:orders} AND ix.indisprimary
) k ON a.attnum=k.attnum
WHERE a.attrelid = {oid:orders}
ORDER BY k.ord;

-- title: superset columns with default subquery
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
  (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM pg_catalog.pg_attrdef d
   WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef) AS DEFAULT,
  a.attnotnull, a.attnum, a.attrelid as table_oid, pgd.description as comment, a.attgenerated as generated
FROM pg_catalog.pg_attribute a
LEFT JOIN pg_catalog.pg_description pgd ON (pgd.objoid = a.attrelid AND pgd.objsubid = a.attnum)
WHERE a.attrelid = {oid:orders} AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum;

-- title: superset enums
SELECT t.typname as "name", pg_catalog.pg_type_is_visible(t.oid) as "visible", n.nspname as "schema", e.enumlabel as "label"
FROM pg_catalog.pg_type t
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_enum e ON t.oid = e.enumtypid
WHERE t.typtype = 'e'
ORDER BY "schema", "name", e.oid;

-- title: superset domains
-- expect: subset: PostgreSQL has information_schema's domains; the gateway has no domains
SELECT t.typname as "name", pg_catalog.format_type(t.typbasetype, t.typtypmod) as "attype",
  not t.typnotnull as "nullable", t.typdefault as "default", pg_catalog.pg_type_is_visible(t.oid) as "visible",
  n.nspname as "schema"
FROM pg_catalog.pg_type t
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'd';

-- title: superset indexes with indkey varchar
SELECT i.relname as relname, ix.indisunique, ix.indexprs, a.attname, a.attnum, c.conrelid,
  ix.indkey::varchar, ix.indoption::varchar, i.reloptions, am.amname,
  pg_get_expr(ix.indpred, ix.indrelid), ix.indnkeyatts as indnkeyatts
FROM pg_class t
  join pg_index ix on t.oid = ix.indrelid
  join pg_class i on i.oid = ix.indexrelid
  left outer join pg_attribute a on t.oid = a.attrelid and a.attnum = ANY(ix.indkey)
  left outer join pg_constraint c on (ix.indrelid = c.conrelid and ix.indexrelid = c.conindid and c.contype in ('p', 'u', 'x'))
  left outer join pg_am am on i.relam = am.oid
WHERE t.relkind IN ('r', 'v', 'f', 'm', 'p') and t.oid = {oid:orders} and ix.indisprimary = 'f'
ORDER BY t.relname, i.relname;

-- title: superset foreign key constraint definitions
SELECT r.conname, pg_catalog.pg_get_constraintdef(r.oid, true) as condef, n.nspname as conschema
FROM pg_catalog.pg_constraint r, pg_namespace n, pg_class c
WHERE r.conrelid = {oid:orders} AND r.contype = 'f' AND c.oid = confrelid AND n.oid = c.relnamespace
ORDER BY 1;

-- title: grafana tables in search_path
SELECT quote_ident(table_name) AS "table" FROM information_schema.tables WHERE quote_ident(table_schema) NOT IN ('information_schema', 'pg_catalog', '_timescaledb_cache', '_timescaledb_catalog', '_timescaledb_internal', '_timescaledb_config', 'timescaledb_information', 'timescaledb_experimental') AND table_type = 'BASE TABLE' AND quote_ident(table_schema) IN (SELECT CASE WHEN TRIM(s[i]) = '"$user"' THEN user ELSE TRIM(s[i]) END FROM generate_series(array_lower(string_to_array(current_setting('search_path'), ','), 1), array_upper(string_to_array(current_setting('search_path'), ','), 1)) AS i, string_to_array(current_setting('search_path'), ',') AS s);

-- title: grafana server version
SELECT current_setting('server_version_num')::int/100 as version;

-- title: microstrategy citext lookup with current_schema subquery
SELECT t.oid FROM pg_catalog.pg_type AS t JOIN pg_catalog.pg_namespace AS n ON t.typnamespace = n.oid WHERE t.typname = 'citext' AND (n.nspname = (SELECT current_schema()) OR n.nspname = 'public');

-- title: rust-postgres type lookup
SELECT t.typname, t.typtype, t.typelem, r.rngsubtype, t.typbasetype, n.nspname, t.typrelid
FROM pg_catalog.pg_type t
LEFT OUTER JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid
INNER JOIN pg_catalog.pg_namespace n ON t.typnamespace = n.oid
WHERE t.oid = 25;

-- title: sqlalchemy regtype lookup
SELECT typname AS name, oid, typarray AS array_oid, CAST(CAST(oid AS regtype) AS TEXT) AS regtype, typdelim AS delimiter
FROM pg_type AS t WHERE t.oid = to_regtype('boolean') ORDER BY t.oid;

-- title: pgcli \d relation list
SELECT n.nspname as "Schema", c.relname as "Name",
  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 's' THEN 'special' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as "Type",
  pg_catalog.pg_get_userbyid(c.relowner) as "Owner"
FROM pg_catalog.pg_class c
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
WHERE c.relkind IN ('r','p','v','m','S','f','')
  AND n.nspname <> 'pg_catalog' AND n.nspname !~ '^pg_toast' AND n.nspname <> 'information_schema'
  AND pg_catalog.pg_table_is_visible(c.oid);

-- title: metabase primary keys
SELECT result.table_cat, result.table_schem, result.table_name, result.column_name, result.key_seq, result.pk_name
FROM (SELECT NULL AS table_cat, n.nspname AS table_schem, ct.relname AS table_name, a.attname AS column_name,
    (information_schema._pg_expandarray(i.indkey)).n as key_seq, ci.relname AS pk_name,
    information_schema._pg_expandarray(i.indkey) AS keys, a.attnum AS a_attnum
  FROM pg_catalog.pg_class ct
  JOIN pg_catalog.pg_attribute a ON(ct.oid = a.attrelid)
  JOIN pg_catalog.pg_namespace n ON (ct.relnamespace = n.oid)
  JOIN pg_catalog.pg_index i ON (a.attrelid = i.indrelid)
  JOIN pg_catalog.pg_class ci ON (ci.oid = i.indexrelid)
  WHERE true AND ct.relname = 'orders' AND i.indisprimary) result
WHERE result.a_attnum = (result.keys).x
ORDER BY result.table_name, result.pk_name, result.key_seq;

-- title: metabase enum types
SELECT nspname, typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.oid IN (SELECT DISTINCT enumtypid FROM pg_enum e);

-- title: sigma schemas ilike
select distinct table_schema from information_schema.tables
where table_type IN ('BASE TABLE', 'VIEW', 'FOREIGN', 'FOREIGN TABLE') and table_schema NOT IN ('pg_catalog', 'information_schema') and table_schema ilike '%';

-- title: sigma tables and matviews
SELECT table_name FROM (
  select table_name from information_schema.tables
  where table_type IN ('BASE TABLE', 'VIEW', 'FOREIGN', 'FOREIGN TABLE') and table_schema = 'public'
  UNION
  select matviewname as table_name from pg_catalog.pg_matviews where schemaname = 'public'
) t ORDER BY table_name ASC;

-- title: sigma foreign keys with array subqueries
select cl.relname as "source_table",
  array(select (select attname::text from pg_attribute where attrelid = con.conrelid and attnum = con.conkey[i])
        from generate_series(array_lower(con.conkey, 1), array_upper(con.conkey, 1)) i) as "source_keys",
  (select nspname from pg_namespace ns2 join pg_class cl2 on ns2.oid = cl2.relnamespace where cl2.oid = con.confrelid) as "target_schema",
  (select relname from pg_class where oid = con.confrelid) as "target_table",
  array(select (select attname::text from pg_attribute where attrelid = con.confrelid and attnum = con.confkey[i])
        from generate_series(array_lower(con.confkey, 1), array_upper(con.confkey, 1)) i) as "target_keys"
from pg_class cl
join pg_namespace ns on cl.relnamespace = ns.oid
join pg_constraint con on con.conrelid = cl.oid
where ns.nspname = 'public' and cl.relname >= 'A' and cl.relname <= 'z' and con.contype = 'f'
order by "source_table", con.conname;

-- title: sigma columns with CTEs
with nsp as (select oid from pg_catalog.pg_namespace where nspname = 'public'),
  tbl as (select oid from pg_catalog.pg_class where relname = 'orders' and relnamespace = (select oid from nsp))
select attname, typname, description
from pg_attribute a
join pg_type on atttypid = pg_type.oid
left join pg_description on attrelid = objoid and attnum = objsubid
where attnum > 0 and attrelid = (select oid from tbl)
order by attnum;

-- title: sigma primary key attnames with USING
with nsp as (select oid as relnamespace from pg_catalog.pg_namespace where nspname = 'public'),
  tbl as (select nsp.relnamespace as connamespace, tbl.oid as conrelid from pg_catalog.pg_class tbl
          inner join nsp using (relnamespace) where relname = 'orders'),
  con as (select conrelid, conkey from pg_catalog.pg_constraint inner join tbl using (connamespace, conrelid)
          where contype = 'p')
select attname from pg_catalog.pg_attribute att
inner join con on conrelid = attrelid and attnum = any(con.conkey)
order by attnum;

-- title: quicksight schemas with privileges
SELECT nspname AS schema_name FROM pg_namespace
WHERE (has_schema_privilege('{user}', nspname, 'USAGE') = TRUE OR has_schema_privilege('{user}', nspname, 'CREATE') = TRUE)
  AND nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg_toast%' AND nspname NOT LIKE 'pg_temp_%';

-- title: quicksight foreign keys through pg_depend
SELECT NULL::text AS PKTABLE_CAT, pkn.nspname AS PKTABLE_SCHEM, pkc.relname AS PKTABLE_NAME, pka.attname AS PKCOLUMN_NAME,
  NULL::text AS FKTABLE_CAT, fkn.nspname AS FKTABLE_SCHEM, fkc.relname AS FKTABLE_NAME, fka.attname AS FKCOLUMN_NAME,
  pos.n AS KEY_SEQ,
  CASE con.confupdtype WHEN 'c' THEN 0 WHEN 'n' THEN 2 WHEN 'd' THEN 4 WHEN 'r' THEN 1 WHEN 'a' THEN 3 ELSE NULL END AS UPDATE_RULE,
  CASE con.confdeltype WHEN 'c' THEN 0 WHEN 'n' THEN 2 WHEN 'd' THEN 4 WHEN 'r' THEN 1 WHEN 'a' THEN 3 ELSE NULL END AS DELETE_RULE,
  con.conname AS FK_NAME, pkic.relname AS PK_NAME,
  CASE WHEN con.condeferrable AND con.condeferred THEN 5 WHEN con.condeferrable THEN 6 ELSE 7 END AS DEFERRABILITY
FROM pg_catalog.pg_namespace pkn, pg_catalog.pg_class pkc, pg_catalog.pg_attribute pka, pg_catalog.pg_namespace fkn,
  pg_catalog.pg_class fkc, pg_catalog.pg_attribute fka, pg_catalog.pg_constraint con,
  pg_catalog.generate_series(1, 32) pos(n), pg_catalog.pg_depend dep, pg_catalog.pg_class pkic
WHERE pkn.oid = pkc.relnamespace AND pkc.oid = pka.attrelid AND pka.attnum = con.confkey[pos.n] AND con.confrelid = pkc.oid
  AND fkn.oid = fkc.relnamespace AND fkc.oid = fka.attrelid AND fka.attnum = con.conkey[pos.n] AND con.conrelid = fkc.oid
  AND con.contype = 'f' AND con.oid = dep.objid AND pkic.oid = dep.refobjid AND pkic.relkind = 'i'
  AND dep.classid = 'pg_constraint'::regclass::oid AND dep.refclassid = 'pg_class'::regclass::oid
  AND fkn.nspname = 'public' AND fkc.relname = 'orders'
ORDER BY pkn.nspname, pkc.relname, con.conname, pos.n;

-- title: quicksight primary keys through a derived _pg_expandarray
SELECT NULL AS TABLE_CAT, n.nspname AS TABLE_SCHEM, ct.relname AS TABLE_NAME, a.attname AS COLUMN_NAME,
  (i.keys).n AS KEY_SEQ, ci.relname AS PK_NAME
FROM pg_catalog.pg_class ct
JOIN pg_catalog.pg_attribute a ON (ct.oid = a.attrelid)
JOIN pg_catalog.pg_namespace n ON (ct.relnamespace = n.oid)
JOIN (SELECT i.indexrelid, i.indrelid, i.indisprimary, information_schema._pg_expandarray(i.indkey) AS keys
      FROM pg_catalog.pg_index i) i ON (a.attnum = (i.keys).x AND a.attrelid = i.indrelid)
JOIN pg_catalog.pg_class ci ON (ci.oid = i.indexrelid)
WHERE true AND n.nspname = 'public' AND ct.relname = 'orders' AND i.indisprimary
ORDER BY table_name, pk_name, key_seq;

-- title: google-sheets columns with sequences
SELECT cl.relname as Table, att.attname AS Name, att.attnum as Position,
  CASE WHEN att.attnotnull = 'f' THEN 'true' ELSE 'false' END as Nullable,
  CASE WHEN exists(select null from pg_constraint c where c.conrelid = cl.oid and c.contype = 'p' and att.attnum = ANY (c.conkey)) THEN true ELSE false END as IsKey,
  CASE WHEN cs.relname IS NULL THEN 'false' ELSE 'true' END as IsAutoIncrement,
  CASE WHEN ty.typname = 'bpchar' THEN 'char' WHEN ty.typname = '_bpchar' THEN '_char' ELSE ty.typname END as TypeName
FROM pg_attribute att
JOIN pg_type ty ON ty.oid = atttypid
JOIN pg_namespace tn ON tn.oid = ty.typnamespace
JOIN pg_class cl ON cl.oid = attrelid AND ((cl.relkind = 'r') OR (cl.relkind = 's') OR (cl.relkind = 'v') OR (cl.relkind = 'm') OR (cl.relkind = 'f'))
JOIN pg_namespace na ON na.oid = cl.relnamespace
LEFT OUTER JOIN (pg_depend JOIN pg_class cs ON objid = cs.oid AND cs.relkind = 'S' AND classid = 'pg_class'::regclass::oid)
  ON refobjid = attrelid AND refobjsubid = attnum
LEFT JOIN pg_database db ON db.datname = current_database()
WHERE attnum > 0 AND attisdropped IS FALSE AND na.nspname = 'public' AND cl.relname = 'orders'
ORDER BY attnum;
