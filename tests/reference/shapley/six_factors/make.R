suppressPackageStartupMessages(library(jsonlite))
source("../shapley_common.R")
set.seed(20240601)
plan <- setNames(round(runif(6, 0.5, 3), 3), paste0("x", 1:6))
actual <- setNames(round(plan * runif(6, 0.7, 1.4), 3), names(plan))
actual["x4"] <- plan["x4"]                       # one unchanged factor: its effect must be 0
write.csv(data.frame(factor = names(plan), plan = plan, actual = actual), "input.csv",
          row.names = FALSE, quote = FALSE)
write(toJSON(shapley_reference(plan, actual), digits = NA, auto_unbox = TRUE, pretty = TRUE), "expected.json")
write_meta("six_factors", "6 random factors (seed 20240601), x4 unchanged; 720 orders")
