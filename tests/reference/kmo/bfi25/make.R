# Reference for perfkit.methods.kmo on raw data: psych::KMO.
# Data: psych::bfi, the 25 personality items, first 500 complete rows (input_data.csv).
suppressPackageStartupMessages({library(psych); library(jsonlite)})
x <- bfi[complete.cases(bfi[, 1:25]), 1:25][1:500, ]
write.csv(x, "input_data.csv", quote = FALSE)
k <- KMO(x)
write(toJSON(list(overall = k$MSA, per_variable = as.list(k$MSAi)), digits = NA,
             auto_unbox = TRUE, pretty = TRUE), "expected.json")
write(toJSON(list(method = "kmo", case = "bfi25", tool = "R psych::KMO",
  R = R.version.string, psych = as.character(packageVersion("psych")),
  inputs = "input_data.csv = psych::bfi[complete.cases(bfi[,1:25]), 1:25][1:500, ]",
  tolerance = 1e-10, why = "closed form (matrix inverse); only rounding differs"),
  auto_unbox = TRUE, pretty = TRUE), "meta.json")
