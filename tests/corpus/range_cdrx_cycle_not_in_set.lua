-- expect: exit 2
-- message: cell.cdrx.cycle_sf
-- message: must be one of 256, 512, 1024
return { cell = { cdrx = { cycle_sf = 300 } }, devices = { { count = 1 } } }
