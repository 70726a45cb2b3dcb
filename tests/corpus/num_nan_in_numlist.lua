-- expect: exit 2
-- message: devices[1].traffic.mix_share[1]: must be a finite number
return {
  devices = { { count = 1, traffic = { kind = "tr45820_mix",
    mix_share = { 0/0, 1 }, mix_period_s = { 60, 120 } } } },
}
