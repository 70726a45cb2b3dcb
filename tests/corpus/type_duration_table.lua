-- expect: exit 2
-- message: duration: expected a number, got table
return { duration = { 3600 }, devices = { { count = 1 } } }
