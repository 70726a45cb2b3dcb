-- expect: exit 2
-- message: cell.cdrx.start_offset
-- message: must be below the cycle (2048 subframes)
return { cell = { cdrx = { start_offset = 2048 } }, devices = { { count = 1 } } }
