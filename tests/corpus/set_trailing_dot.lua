-- expect: exit 2
-- message: --set cell.=5
-- args: check --set cell.=5
-- noline: a --set argument error names the argument
return { devices = { { count = 10 } } }
