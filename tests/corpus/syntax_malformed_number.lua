-- expect: exit 2
-- message: malformed number near '1e'
return { duration = 1e, devices = { { count = 1 } } }
