-- expect: exit 2
-- message: --set seed=1e300
-- message: seed: must be <= 9007199254740991
-- args: check --set seed=1e300
-- noline: a --set argument error names the argument
return { devices = { { count = 10 } } }
