-- name: introspect regproc result
-- expect: gap: the gateway cannot answer it yet: 0A000 catalog query not supported: Conversion Error: Could not convert string 'bool' to UINT32 when casting from source column typname
SELECT typreceive, typname::regtype FROM pg_type LIMIT 1;
