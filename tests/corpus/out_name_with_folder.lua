-- expect: exit 0
-- (the default results file takes a safe name: results_today.h5 here))
-- args: run --quiet
return {
  name = "results/today",
  duration = 60,
  devices = { { count = 1, traffic = { kind = "none" } } },
}
