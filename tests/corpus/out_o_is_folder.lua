-- expect: exit 1
-- message: results
-- args: run --quiet -o results
-- noline: an environment error
return {
  duration = 60,
  devices = { { count = 1, traffic = { kind = "none" } } },
}
