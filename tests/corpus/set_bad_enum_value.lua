-- expect: exit 2
-- message: --set cell.rat=lte
-- message: must be one of
-- args: check --set cell.rat=lte
-- noline: a --set argument error names the argument
return { devices = { { count = 10 } } }
