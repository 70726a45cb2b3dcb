-- expect: exit 0
-- Every value at the edge of its range, except the device count: 1e8 devices
-- (the field's maximum) need about 105 GiB and are refused on a smaller
-- machine by the memory estimate (range_volume_beyond_memory.lua), so the
-- control uses 1e6.
return {
  duration = 3.2e9,
  seed = 9007199254740991,
  devices = { { count = 1000000, traffic = { kind = "none" } } },
}
