-- expect: exit 2
-- message: --set cell..rat=ltem
-- args: check --set cell..rat=ltem
-- noline: a --set argument error names the argument
return { devices = { { count = 10 } } }
