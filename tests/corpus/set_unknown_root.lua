-- expect: exit 2
-- message: --set celll.rat=ltem
-- message: unknown field
-- args: check --set celll.rat=ltem
-- noline: a --set argument error names the argument
return { devices = { { count = 10 } } }
