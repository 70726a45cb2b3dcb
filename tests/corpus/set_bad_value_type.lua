-- expect: exit 2
-- message: --set duration=abc
-- message: duration: expected a number, got string
-- args: check --set duration=abc
-- noline: a --set argument error names the argument
return { devices = { { count = 10 } } }
