-- expect: exit 2
-- message: -o
-- args: run --quiet -o ""
-- noline: a command-line error
return {
  duration = 60,
  devices = { { count = 1, traffic = { kind = "none" } } },
}
