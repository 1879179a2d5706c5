suppressPackageStartupMessages(library(jsonlite))
source("../shapley_common.R")
plan <- c("产量" = 100, "单耗" = 8, "单价" = 5)
actual <- c("产量" = 110, "单耗" = 7, "单价" = 6)
write.csv(data.frame(factor = names(plan), plan = plan, actual = actual), "input.csv",
          row.names = FALSE, quote = FALSE, fileEncoding = "UTF-8")
write(toJSON(shapley_reference(plan, actual), digits = NA, auto_unbox = TRUE, pretty = TRUE), "expected.json")
write_meta("textbook", "材料费用 = 产量 × 单耗 × 单价, 3 factors")
