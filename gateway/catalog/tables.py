"""The PostgreSQL 15 catalog relations we emulate, as DuckDB DDL.

Column names and order follow PostgreSQL's, so that clients' catalog queries (psql, JDBC,
SQLAlchemy, BI tools) bind. OID columns are UINTEGER so results report type ``oid``.
Tables left empty still exist, because a client query that joins them must succeed.
"""

from __future__ import annotations

PG_CATALOG: dict[str, str] = {
    "pg_namespace": "oid UINTEGER, nspname VARCHAR, nspowner UINTEGER DEFAULT 10, "
                    "nspacl VARCHAR[]",
    "pg_class": (
        "oid UINTEGER, relname VARCHAR, relnamespace UINTEGER, reltype UINTEGER DEFAULT 0, "
        "reloftype UINTEGER DEFAULT 0, relowner UINTEGER DEFAULT 10, relam UINTEGER DEFAULT 0, "
        "relfilenode UINTEGER DEFAULT 0, reltablespace UINTEGER DEFAULT 0, "
        "relpages INTEGER DEFAULT 0, reltuples FLOAT DEFAULT -1, relallvisible INTEGER DEFAULT 0, "
        "reltoastrelid UINTEGER DEFAULT 0, relhasindex BOOLEAN DEFAULT false, "
        "relisshared BOOLEAN DEFAULT false, relpersistence VARCHAR DEFAULT 'p', relkind VARCHAR, "
        "relnatts SMALLINT DEFAULT 0, relchecks SMALLINT DEFAULT 0, "
        "relhasrules BOOLEAN DEFAULT false, relhastriggers BOOLEAN DEFAULT false, "
        "relhassubclass BOOLEAN DEFAULT false, relrowsecurity BOOLEAN DEFAULT false, "
        "relforcerowsecurity BOOLEAN DEFAULT false, relispopulated BOOLEAN DEFAULT true, "
        "relreplident VARCHAR DEFAULT 'd', relispartition BOOLEAN DEFAULT false, "
        "relrewrite UINTEGER DEFAULT 0, relfrozenxid UINTEGER DEFAULT 0, "
        "relminmxid UINTEGER DEFAULT 0, relacl VARCHAR[], reloptions VARCHAR[], "
        "relpartbound VARCHAR"
    ),
    "pg_attribute": (
        "attrelid UINTEGER, attname VARCHAR, atttypid UINTEGER, attstattarget INTEGER DEFAULT -1, "
        "attlen SMALLINT DEFAULT -1, attnum SMALLINT, attndims INTEGER DEFAULT 0, "
        "attcacheoff INTEGER DEFAULT -1, atttypmod INTEGER DEFAULT -1, "
        "attbyval BOOLEAN DEFAULT false, attalign VARCHAR DEFAULT 'i', "
        "attstorage VARCHAR DEFAULT 'x', attcompression VARCHAR DEFAULT '', "
        "attnotnull BOOLEAN DEFAULT false, atthasdef BOOLEAN DEFAULT false, "
        "atthasmissing BOOLEAN DEFAULT false, attidentity VARCHAR DEFAULT '', "
        "attgenerated VARCHAR DEFAULT '', attisdropped BOOLEAN DEFAULT false, "
        "attislocal BOOLEAN DEFAULT true, attinhcount INTEGER DEFAULT 0, "
        "attcollation UINTEGER DEFAULT 0, attacl VARCHAR[], attoptions VARCHAR[], "
        "attfdwoptions VARCHAR[], attmissingval VARCHAR"
    ),
    "pg_type": (
        "oid UINTEGER, typname VARCHAR, typnamespace UINTEGER DEFAULT 11, "
        "typowner UINTEGER DEFAULT 10, typlen SMALLINT, typbyval BOOLEAN, "
        "typtype VARCHAR DEFAULT 'b', typcategory VARCHAR, typispreferred BOOLEAN DEFAULT false, "
        "typisdefined BOOLEAN DEFAULT true, typdelim VARCHAR DEFAULT ',', "
        "typrelid UINTEGER DEFAULT 0, typsubscript VARCHAR DEFAULT '-', "
        "typelem UINTEGER DEFAULT 0, typarray UINTEGER DEFAULT 0, typinput VARCHAR, "
        "typoutput VARCHAR, typreceive VARCHAR, typsend VARCHAR, typmodin VARCHAR DEFAULT '-', "
        "typmodout VARCHAR DEFAULT '-', typanalyze VARCHAR DEFAULT '-', "
        "typalign VARCHAR DEFAULT 'i', typstorage VARCHAR DEFAULT 'p', "
        "typnotnull BOOLEAN DEFAULT false, typbasetype UINTEGER DEFAULT 0, "
        "typtypmod INTEGER DEFAULT -1, typndims INTEGER DEFAULT 0, "
        "typcollation UINTEGER DEFAULT 0, typdefaultbin VARCHAR, typdefault VARCHAR, "
        "typacl VARCHAR[]"
    ),
    "pg_index": (
        "indexrelid UINTEGER, indrelid UINTEGER, indnatts SMALLINT, indnkeyatts SMALLINT, "
        "indisunique BOOLEAN, indnullsnotdistinct BOOLEAN DEFAULT false, indisprimary BOOLEAN, "
        "indisexclusion BOOLEAN DEFAULT false, indimmediate BOOLEAN DEFAULT true, "
        "indisclustered BOOLEAN DEFAULT false, indisvalid BOOLEAN DEFAULT true, "
        "indcheckxmin BOOLEAN DEFAULT false, indisready BOOLEAN DEFAULT true, "
        "indislive BOOLEAN DEFAULT true, indisreplident BOOLEAN DEFAULT false, "
        "indkey SMALLINT[], indcollation UINTEGER[], indclass UINTEGER[], indoption SMALLINT[], "
        "indexprs VARCHAR, indpred VARCHAR"
    ),
    "pg_constraint": (
        "oid UINTEGER, conname VARCHAR, connamespace UINTEGER, contype VARCHAR, "
        "condeferrable BOOLEAN DEFAULT false, condeferred BOOLEAN DEFAULT false, "
        "convalidated BOOLEAN DEFAULT true, conrelid UINTEGER, contypid UINTEGER DEFAULT 0, "
        "conindid UINTEGER DEFAULT 0, conparentid UINTEGER DEFAULT 0, "
        "confrelid UINTEGER DEFAULT 0, confupdtype VARCHAR DEFAULT ' ', "
        "confdeltype VARCHAR DEFAULT ' ', confmatchtype VARCHAR DEFAULT ' ', "
        "conislocal BOOLEAN DEFAULT true, coninhcount INTEGER DEFAULT 0, "
        "connoinherit BOOLEAN DEFAULT true, conkey SMALLINT[], confkey SMALLINT[], "
        "conpfeqop UINTEGER[], conppeqop UINTEGER[], conffeqop UINTEGER[], "
        "confdelsetcols SMALLINT[], conexclop UINTEGER[], conbin VARCHAR"
    ),
    "pg_description": "objoid UINTEGER, classoid UINTEGER, objsubid INTEGER, description VARCHAR",
    "pg_shdescription": "objoid UINTEGER, classoid UINTEGER, description VARCHAR",
    "pg_am": "oid UINTEGER, amname VARCHAR, amhandler VARCHAR, amtype VARCHAR",
    "pg_attrdef": "oid UINTEGER, adrelid UINTEGER, adnum SMALLINT, adbin VARCHAR",
    "pg_inherits": "inhrelid UINTEGER, inhparent UINTEGER, inhseqno INTEGER, "
                   "inhdetachpending BOOLEAN",
    "pg_trigger": (
        "oid UINTEGER, tgrelid UINTEGER, tgparentid UINTEGER, tgname VARCHAR, tgfoid UINTEGER, "
        "tgtype SMALLINT, tgenabled VARCHAR, tgisinternal BOOLEAN, tgconstrrelid UINTEGER, "
        "tgconstrindid UINTEGER, tgconstraint UINTEGER, tgdeferrable BOOLEAN, "
        "tginitdeferred BOOLEAN, tgnargs SMALLINT, tgattr SMALLINT[], tgargs BLOB, "
        "tgqual VARCHAR, tgoldtable VARCHAR, tgnewtable VARCHAR"
    ),
    "pg_policy": "oid UINTEGER, polname VARCHAR, polrelid UINTEGER, polcmd VARCHAR, "
                 "polpermissive BOOLEAN, polroles UINTEGER[], polqual VARCHAR, "
                 "polwithcheck VARCHAR",
    "pg_statistic_ext": "oid UINTEGER, stxrelid UINTEGER, stxname VARCHAR, "
                        "stxnamespace UINTEGER, stxowner UINTEGER, stxstattarget INTEGER, "
                        "stxkeys SMALLINT[], stxkind VARCHAR[], stxexprs VARCHAR",
    "pg_publication": "oid UINTEGER, pubname VARCHAR, pubowner UINTEGER, puballtables BOOLEAN, "
                      "pubinsert BOOLEAN, pubupdate BOOLEAN, pubdelete BOOLEAN, "
                      "pubtruncate BOOLEAN, pubviaroot BOOLEAN",
    "pg_publication_rel": "oid UINTEGER, prpubid UINTEGER, prrelid UINTEGER, prqual VARCHAR, "
                          "prattrs SMALLINT[]",
    "pg_publication_namespace": "oid UINTEGER, pnpubid UINTEGER, pnnspid UINTEGER",
    "pg_collation": "oid UINTEGER, collname VARCHAR, collnamespace UINTEGER, "
                    "collowner UINTEGER, collprovider VARCHAR, collisdeterministic BOOLEAN, "
                    "collencoding INTEGER, collcollate VARCHAR, collctype VARCHAR, "
                    "colliculocale VARCHAR, collversion VARCHAR",
    "pg_proc": (
        "oid UINTEGER, proname VARCHAR, pronamespace UINTEGER, proowner UINTEGER, "
        "prolang UINTEGER, procost FLOAT, prorows FLOAT, provariadic UINTEGER, "
        "prosupport VARCHAR, prokind VARCHAR, prosecdef BOOLEAN, proleakproof BOOLEAN, "
        "proisstrict BOOLEAN, proretset BOOLEAN, provolatile VARCHAR, proparallel VARCHAR, "
        "pronargs SMALLINT, pronargdefaults SMALLINT, prorettype UINTEGER, "
        "proargtypes UINTEGER[], proallargtypes UINTEGER[], proargmodes VARCHAR[], "
        "proargnames VARCHAR[], proargdefaults VARCHAR, protrftypes UINTEGER[], prosrc VARCHAR, "
        "probin VARCHAR, prosqlbody VARCHAR, proconfig VARCHAR[], proacl VARCHAR[]"
    ),
    "pg_roles": (
        "rolname VARCHAR, rolsuper BOOLEAN DEFAULT false, rolinherit BOOLEAN DEFAULT true, "
        "rolcreaterole BOOLEAN DEFAULT false, rolcreatedb BOOLEAN DEFAULT false, "
        "rolcanlogin BOOLEAN DEFAULT true, rolreplication BOOLEAN DEFAULT false, "
        "rolconnlimit INTEGER DEFAULT -1, rolpassword VARCHAR DEFAULT '********', "
        "rolvaliduntil TIMESTAMPTZ, rolbypassrls BOOLEAN DEFAULT false, rolconfig VARCHAR[], "
        "oid UINTEGER"
    ),
    "pg_user": "usename VARCHAR, usesysid UINTEGER, usecreatedb BOOLEAN, usesuper BOOLEAN, "
               "userepl BOOLEAN, usebypassrls BOOLEAN, passwd VARCHAR, valuntil TIMESTAMPTZ, "
               "useconfig VARCHAR[]",
    "pg_auth_members": "oid UINTEGER, roleid UINTEGER, member UINTEGER, grantor UINTEGER, "
                       "admin_option BOOLEAN",
    "pg_database": (
        "oid UINTEGER, datname VARCHAR, datdba UINTEGER, encoding INTEGER, "
        "datlocprovider VARCHAR, datistemplate BOOLEAN, datallowconn BOOLEAN, "
        "datconnlimit INTEGER, datfrozenxid UINTEGER, datminmxid UINTEGER, "
        "dattablespace UINTEGER, datcollate VARCHAR, datctype VARCHAR, daticulocale VARCHAR, "
        "datcollversion VARCHAR, datacl VARCHAR[]"
    ),
    "pg_tablespace": "oid UINTEGER, spcname VARCHAR, spcowner UINTEGER, spcacl VARCHAR[], "
                     "spcoptions VARCHAR[]",
    "pg_settings": (
        "name VARCHAR, setting VARCHAR, unit VARCHAR, category VARCHAR, short_desc VARCHAR, "
        "extra_desc VARCHAR, context VARCHAR, vartype VARCHAR, source VARCHAR, "
        "min_val VARCHAR, max_val VARCHAR, enumvals VARCHAR[], boot_val VARCHAR, "
        "reset_val VARCHAR, sourcefile VARCHAR, sourceline INTEGER, pending_restart BOOLEAN"
    ),
    "pg_extension": "oid UINTEGER, extname VARCHAR, extowner UINTEGER, extnamespace UINTEGER, "
                    "extrelocatable BOOLEAN, extversion VARCHAR, extconfig UINTEGER[], "
                    "extcondition VARCHAR[]",
    "pg_enum": "oid UINTEGER, enumtypid UINTEGER, enumsortorder FLOAT, enumlabel VARCHAR",
    "pg_range": "rngtypid UINTEGER, rngsubtype UINTEGER, rngmultitypid UINTEGER, "
                "rngcollation UINTEGER, rngsubopc UINTEGER, rngcanonical VARCHAR, "
                "rngsubdiff VARCHAR",
    "pg_foreign_table": "ftrelid UINTEGER, ftserver UINTEGER, ftoptions VARCHAR[]",
    "pg_foreign_server": "oid UINTEGER, srvname VARCHAR, srvowner UINTEGER, srvfdw UINTEGER, "
                         "srvtype VARCHAR, srvversion VARCHAR, srvacl VARCHAR[], "
                         "srvoptions VARCHAR[]",
    "pg_rewrite": "oid UINTEGER, rulename VARCHAR, ev_class UINTEGER, ev_type VARCHAR, "
                  "ev_enabled VARCHAR, is_instead BOOLEAN, ev_qual VARCHAR, ev_action VARCHAR",
    "pg_sequence": "seqrelid UINTEGER, seqtypid UINTEGER, seqstart BIGINT, "
                   "seqincrement BIGINT, seqmax BIGINT, seqmin BIGINT, seqcache BIGINT, "
                   "seqcycle BOOLEAN",
    "pg_partitioned_table": "partrelid UINTEGER, partstrat VARCHAR, partnatts SMALLINT, "
                            "partdefid UINTEGER, partattrs SMALLINT[], partclass UINTEGER[], "
                            "partcollation UINTEGER[], partexprs VARCHAR",
    "pg_depend": "classid UINTEGER, objid UINTEGER, objsubid INTEGER, refclassid UINTEGER, "
                 "refobjid UINTEGER, refobjsubid INTEGER, deptype VARCHAR",
    "pg_language": "oid UINTEGER, lanname VARCHAR, lanowner UINTEGER, lanispl BOOLEAN, "
                   "lanpltrusted BOOLEAN, lanplcallfoid UINTEGER, laninline UINTEGER, "
                   "lanvalidator UINTEGER, lanacl VARCHAR[]",
    "pg_opclass": "oid UINTEGER, opcmethod UINTEGER, opcname VARCHAR, opcnamespace UINTEGER, "
                  "opcowner UINTEGER, opcfamily UINTEGER, opcintype UINTEGER, "
                  "opcdefault BOOLEAN, opckeytype UINTEGER",
    "pg_event_trigger": "oid UINTEGER, evtname VARCHAR, evtevent VARCHAR, evtowner UINTEGER, "
                        "evtfoid UINTEGER, evtenabled VARCHAR, evttags VARCHAR[]",
    "pg_tables": "schemaname VARCHAR, tablename VARCHAR, tableowner VARCHAR, "
                 "tablespace VARCHAR, hasindexes BOOLEAN, hasrules BOOLEAN, "
                 "hastriggers BOOLEAN, rowsecurity BOOLEAN",
    "pg_views": "schemaname VARCHAR, viewname VARCHAR, viewowner VARCHAR, definition VARCHAR",
    "pg_matviews": "schemaname VARCHAR, matviewname VARCHAR, matviewowner VARCHAR, "
                   "tablespace VARCHAR, hasindexes BOOLEAN, ispopulated BOOLEAN, "
                   "definition VARCHAR",
    "pg_indexes": "schemaname VARCHAR, tablename VARCHAR, indexname VARCHAR, "
                  "tablespace VARCHAR, indexdef VARCHAR",
    "pg_sequences": "schemaname VARCHAR, sequencename VARCHAR, sequenceowner VARCHAR, "
                    "data_type VARCHAR, start_value BIGINT, min_value BIGINT, max_value BIGINT, "
                    "increment_by BIGINT, cycle BOOLEAN, cache_size BIGINT, last_value BIGINT",
    "pg_stat_activity": "datid UINTEGER, datname VARCHAR, pid INTEGER, usename VARCHAR, "
                        "application_name VARCHAR, client_addr VARCHAR, state VARCHAR, "
                        "query VARCHAR",
    "pg_locks": "locktype VARCHAR, database UINTEGER, relation UINTEGER, pid INTEGER, "
                "mode VARCHAR, granted BOOLEAN",
    "pg_cast": "oid UINTEGER, castsource UINTEGER, casttarget UINTEGER, castfunc UINTEGER, "
               "castcontext VARCHAR, castmethod VARCHAR",
    "pg_operator": "oid UINTEGER, oprname VARCHAR, oprnamespace UINTEGER, oprowner UINTEGER, "
                   "oprkind VARCHAR, oprleft UINTEGER, oprright UINTEGER, oprresult UINTEGER",
    "pg_aggregate": "aggfnoid UINTEGER, aggkind VARCHAR, aggnumdirectargs SMALLINT",
    "pg_available_extensions": "name VARCHAR, default_version VARCHAR, "
                               "installed_version VARCHAR, comment VARCHAR",
    "pg_timezone_names": "name VARCHAR, abbrev VARCHAR, utc_offset INTERVAL, is_dst BOOLEAN",
    "pg_opfamily": "oid UINTEGER, opfmethod UINTEGER, opfname VARCHAR, opfnamespace UINTEGER, "
                   "opfowner UINTEGER",
    "pg_conversion": "oid UINTEGER, conname VARCHAR, connamespace UINTEGER, conowner UINTEGER, "
                     "conforencoding INTEGER, contoencoding INTEGER, conproc VARCHAR, "
                     "condefault BOOLEAN",
    "pg_ts_config": "oid UINTEGER, cfgname VARCHAR, cfgnamespace UINTEGER, cfgowner UINTEGER, "
                    "cfgparser UINTEGER",
    "pg_ts_dict": "oid UINTEGER, dictname VARCHAR, dictnamespace UINTEGER, dictowner UINTEGER, "
                  "dicttemplate UINTEGER, dictinitoption VARCHAR",
    "pg_ts_parser": "oid UINTEGER, prsname VARCHAR, prsnamespace UINTEGER",
    "pg_ts_template": "oid UINTEGER, tmplname VARCHAR, tmplnamespace UINTEGER",
    "pg_default_acl": "oid UINTEGER, defaclrole UINTEGER, defaclnamespace UINTEGER, "
                      "defaclobjtype VARCHAR, defaclacl VARCHAR[]",
    "pg_foreign_data_wrapper": "oid UINTEGER, fdwname VARCHAR, fdwowner UINTEGER, "
                               "fdwhandler UINTEGER, fdwvalidator UINTEGER, fdwacl VARCHAR[], "
                               "fdwoptions VARCHAR[]",
    "pg_user_mapping": "oid UINTEGER, umuser UINTEGER, umserver UINTEGER, umoptions VARCHAR[]",
    "pg_subscription": "oid UINTEGER, subdbid UINTEGER, subskiplsn VARCHAR, subname VARCHAR, "
                       "subowner UINTEGER, subenabled BOOLEAN, subbinary BOOLEAN, "
                       "substream BOOLEAN, subtwophasestate VARCHAR, subdisableonerr BOOLEAN, "
                       "subconninfo VARCHAR, subslotname VARCHAR, subsynccommit VARCHAR, "
                       "subpublications VARCHAR[]",
    "pg_stat_user_tables": "relid UINTEGER, schemaname VARCHAR, relname VARCHAR, "
                           "seq_scan BIGINT, n_live_tup BIGINT, n_dead_tup BIGINT",
    "pg_statio_user_tables": "relid UINTEGER, schemaname VARCHAR, relname VARCHAR, "
                             "heap_blks_read BIGINT, heap_blks_hit BIGINT",
    "pg_stat_database": "datid UINTEGER, datname VARCHAR, numbackends INTEGER, "
                        "xact_commit BIGINT, xact_rollback BIGINT",
    "pg_seclabel": "objoid UINTEGER, classoid UINTEGER, objsubid INTEGER, provider VARCHAR, "
                   "label VARCHAR",
    "pg_init_privs": "objoid UINTEGER, classoid UINTEGER, objsubid INTEGER, privtype VARCHAR, "
                     "initprivs VARCHAR[]",
    "pg_user_mappings": "umid UINTEGER, srvid UINTEGER, srvname VARCHAR, umuser UINTEGER, "
                        "usename VARCHAR, umoptions VARCHAR[]",
    "pg_db_role_setting": "setdatabase UINTEGER, setrole UINTEGER, setconfig VARCHAR[]",
    "pg_timezone_abbrevs": "abbrev VARCHAR, utc_offset INTERVAL, is_dst BOOLEAN",
    "pg_get_keywords": "word VARCHAR, catcode VARCHAR, barelabel BOOLEAN, catdesc VARCHAR, "
                       "baredesc VARCHAR",
    "pg_largeobject_metadata": "oid UINTEGER, lomowner UINTEGER, lomacl VARCHAR[]",
}

INFORMATION_SCHEMA: dict[str, str] = {
    "schemata": "catalog_name VARCHAR, schema_name VARCHAR, schema_owner VARCHAR, "
                "default_character_set_catalog VARCHAR, default_character_set_schema VARCHAR, "
                "default_character_set_name VARCHAR, sql_path VARCHAR",
    "tables": "table_catalog VARCHAR, table_schema VARCHAR, table_name VARCHAR, "
              "table_type VARCHAR, self_referencing_column_name VARCHAR, "
              "reference_generation VARCHAR, user_defined_type_catalog VARCHAR, "
              "user_defined_type_schema VARCHAR, user_defined_type_name VARCHAR, "
              "is_insertable_into VARCHAR, is_typed VARCHAR, commit_action VARCHAR",
    "columns": (
        "table_catalog VARCHAR, table_schema VARCHAR, table_name VARCHAR, column_name VARCHAR, "
        "ordinal_position INTEGER, column_default VARCHAR, is_nullable VARCHAR, "
        "data_type VARCHAR, character_maximum_length INTEGER, character_octet_length INTEGER, "
        "numeric_precision INTEGER, numeric_precision_radix INTEGER, numeric_scale INTEGER, "
        "datetime_precision INTEGER, interval_type VARCHAR, interval_precision INTEGER, "
        "character_set_catalog VARCHAR, character_set_schema VARCHAR, "
        "character_set_name VARCHAR, collation_catalog VARCHAR, collation_schema VARCHAR, "
        "collation_name VARCHAR, domain_catalog VARCHAR, domain_schema VARCHAR, "
        "domain_name VARCHAR, udt_catalog VARCHAR, udt_schema VARCHAR, udt_name VARCHAR, "
        "scope_catalog VARCHAR, scope_schema VARCHAR, scope_name VARCHAR, "
        "maximum_cardinality INTEGER, dtd_identifier VARCHAR, is_self_referencing VARCHAR, "
        "is_identity VARCHAR, identity_generation VARCHAR, identity_start VARCHAR, "
        "identity_increment VARCHAR, identity_maximum VARCHAR, identity_minimum VARCHAR, "
        "identity_cycle VARCHAR, is_generated VARCHAR, generation_expression VARCHAR, "
        "is_updatable VARCHAR"
    ),
    "views": "table_catalog VARCHAR, table_schema VARCHAR, table_name VARCHAR, "
             "view_definition VARCHAR, check_option VARCHAR, is_updatable VARCHAR, "
             "is_insertable_into VARCHAR, is_trigger_updatable VARCHAR, "
             "is_trigger_deletable VARCHAR, is_trigger_insertable_into VARCHAR",
    "table_constraints": "constraint_catalog VARCHAR, constraint_schema VARCHAR, "
                         "constraint_name VARCHAR, table_catalog VARCHAR, table_schema VARCHAR, "
                         "table_name VARCHAR, constraint_type VARCHAR, is_deferrable VARCHAR, "
                         "initially_deferred VARCHAR, enforced VARCHAR, nulls_distinct VARCHAR",
    "key_column_usage": "constraint_catalog VARCHAR, constraint_schema VARCHAR, "
                        "constraint_name VARCHAR, table_catalog VARCHAR, table_schema VARCHAR, "
                        "table_name VARCHAR, column_name VARCHAR, ordinal_position INTEGER, "
                        "position_in_unique_constraint INTEGER",
    "constraint_column_usage": "table_catalog VARCHAR, table_schema VARCHAR, "
                               "table_name VARCHAR, column_name VARCHAR, "
                               "constraint_catalog VARCHAR, constraint_schema VARCHAR, "
                               "constraint_name VARCHAR",
    "referential_constraints": "constraint_catalog VARCHAR, constraint_schema VARCHAR, "
                               "constraint_name VARCHAR, unique_constraint_catalog VARCHAR, "
                               "unique_constraint_schema VARCHAR, "
                               "unique_constraint_name VARCHAR, match_option VARCHAR, "
                               "update_rule VARCHAR, delete_rule VARCHAR",
    "routines": "specific_catalog VARCHAR, specific_schema VARCHAR, specific_name VARCHAR, "
                "routine_catalog VARCHAR, routine_schema VARCHAR, routine_name VARCHAR, "
                "routine_type VARCHAR, data_type VARCHAR",
    "parameters": "specific_catalog VARCHAR, specific_schema VARCHAR, specific_name VARCHAR, "
                  "ordinal_position INTEGER, parameter_mode VARCHAR, parameter_name VARCHAR, "
                  "data_type VARCHAR",
    "character_sets": "character_set_catalog VARCHAR, character_set_schema VARCHAR, "
                      "character_set_name VARCHAR, character_repertoire VARCHAR, "
                      "form_of_use VARCHAR, default_collate_catalog VARCHAR, "
                      "default_collate_schema VARCHAR, default_collate_name VARCHAR",
    "table_privileges": "grantor VARCHAR, grantee VARCHAR, table_catalog VARCHAR, "
                        "table_schema VARCHAR, table_name VARCHAR, privilege_type VARCHAR, "
                        "is_grantable VARCHAR, with_hierarchy VARCHAR",
    "column_privileges": "grantor VARCHAR, grantee VARCHAR, table_catalog VARCHAR, "
                         "table_schema VARCHAR, table_name VARCHAR, column_name VARCHAR, "
                         "privilege_type VARCHAR, is_grantable VARCHAR",
    "enabled_roles": "role_name VARCHAR",
    "applicable_roles": "grantee VARCHAR, role_name VARCHAR, is_grantable VARCHAR",
    "sequences": "sequence_catalog VARCHAR, sequence_schema VARCHAR, sequence_name VARCHAR, "
                 "data_type VARCHAR",
    "triggers": "trigger_catalog VARCHAR, trigger_schema VARCHAR, trigger_name VARCHAR, "
                "event_object_schema VARCHAR, event_object_table VARCHAR",
}
