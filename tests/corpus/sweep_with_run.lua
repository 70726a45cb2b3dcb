-- expect: exit 2
-- message: this scenario is a sweep: run it with `mtcsim sweep`
-- args: run --quiet
return {
  devices = { { count = 1 } },
  sweep = { ["devices[1].count"] = { 1, 2 } },
}
