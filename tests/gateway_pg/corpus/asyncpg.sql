-- name: introspect regproc result
SELECT typreceive, typname::regtype FROM pg_type LIMIT 1;
