-- expect: exit 0
-- Every value at the edge of its range.
return {
  duration = 3.2e9,
  seed = 9007199254740991,
  devices = { { count = 100000000, traffic = { kind = "none" } } },
}
