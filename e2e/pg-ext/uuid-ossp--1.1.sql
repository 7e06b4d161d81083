-- e2e shim for the uuid-ossp extension: only uuid_generate_v4() (random v4 UUID).
\echo Use "CREATE EXTENSION ""uuid-ossp""" to load this file. \quit

CREATE FUNCTION uuid_generate_v4() RETURNS uuid
    AS 'SELECT pg_catalog.gen_random_uuid()'
    LANGUAGE sql VOLATILE PARALLEL SAFE;

CREATE FUNCTION uuid_nil() RETURNS uuid
    AS 'SELECT ''00000000-0000-0000-0000-000000000000''::uuid'
    LANGUAGE sql IMMUTABLE PARALLEL SAFE;
