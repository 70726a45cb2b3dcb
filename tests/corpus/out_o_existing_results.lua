-- expect: exit 2
-- message: existing.h5
-- args: run --quiet -o existing.h5
-- noline: a command-line error
-- unchanged: existing.h5
return {
  duration = 60,
  devices = { { count = 1, traffic = { kind = "none" } } },
}
