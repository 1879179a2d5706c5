# Reference for perfkit.methods.survey.sample_size (Cochran 1977 with finite population
# correction), computed with R's qnorm:
#   n0 = deff * z^2 p (1 - p) / e^2,   n = n0 / (1 + (n0 - 1) / N)
# krejcie_morgan_1970_table1.csv is typed from the published table (Krejcie & Morgan 1970,
# Educ. Psychol. Meas. 30: 607-610, Table 1; e = .05, P = .5, chi^2(1, .95) = 3.841), whose
# entries are the formula value rounded to the nearest integer. This script does not produce it;
# it checks that the formula reproduces every row and stops otherwise.
# Run from this directory: Rscript make.R
cases <- data.frame(
  margin = c(0.05, 0.05, 0.03, 0.05, 0.10, 0.05, 0.02, 0.05),
  p      = c(0.5, 0.5, 0.5, 0.9, 0.5, 0.5, 0.8, 0.5),
  conf   = c(0.95, 0.95, 0.95, 0.95, 0.90, 0.99, 0.95, 0.95),
  N      = c(NA, 1000, NA, 500, NA, 2000, 10000, 300),
  deff   = c(1, 1, 1, 1, 1, 1.5, 2, 1))
rows <- "margin,p,conf,population,deff,n_infinite,n_unrounded,n"
for (i in seq_len(nrow(cases))) {
  with(cases[i, ], {
    z <- qnorm(1 - (1 - conf) / 2)
    n0 <- deff * z^2 * p * (1 - p) / margin^2
    nf <- if (is.na(N)) n0 else n0 / (1 + (n0 - 1) / N)
    n <- ceiling(nf)
    if (!is.na(N)) n <- min(n, N)
    rows <<- c(rows, paste(margin, p, conf, ifelse(is.na(N), "", N), deff,
                           sprintf("%.17g", n0), sprintf("%.17g", nf), n, sep = ","))
  })
}
writeLines(rows, "expected.csv")
km <- read.csv("krejcie_morgan_1970_table1.csv")
s <- 3.841 * km$N * 0.25 / (0.05^2 * (km$N - 1) + 3.841 * 0.25)
stopifnot(all(round(s) == km$s))
cat("Krejcie-Morgan table reproduced by round(formula) for all", nrow(km), "rows\n")
