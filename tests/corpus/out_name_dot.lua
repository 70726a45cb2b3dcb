-- expect: exit 0
-- (the default results file takes a safe name: results.h5))
-- args: run --quiet
-- absent: ..h5
return {
  name = ".",
  duration = 60,
  devices = { { count = 1, traffic = { kind = "none" } } },
}
