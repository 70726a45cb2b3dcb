-- expect: exit 2
-- message: devices[1].traffic.mix_share
return {
  devices = { { count = 1, traffic = { kind = "tr45820_mix",
    mix_share = "0.5,0.5", mix_period_s = { 60, 120 } } } },
}
