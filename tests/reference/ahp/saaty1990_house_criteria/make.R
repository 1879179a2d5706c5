# Reference for perfkit.methods.weights.ahp: principal eigenvector of the pairwise matrix by
# R base eigen(); CI = (lambda_max - n)/(n - 1); CR = CI / RI with Saaty's RI.
# matrix.csv and published.csv are transcribed from Saaty (1990), EJOR 48: 9-26 (house-buying
# example); this script does not produce them. It produces expected.csv at full precision and
# stops if the published figures (3 decimals) are not reproduced.
# Run from this directory: Rscript make.R
raw <- read.csv("matrix.csv", colClasses = "character", check.names = FALSE)
A <- sapply(raw[-1], function(col) sapply(col, function(s) eval(parse(text = s))))
dimnames(A) <- list(raw[[1]], names(raw)[-1])
n <- nrow(A)
RI <- c(0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59)
e <- eigen(A)
k <- which.max(Re(e$values))
lam <- Re(e$values[k])
w <- abs(Re(e$vectors[, k])); w <- w / sum(w)
ci <- (lam - n) / (n - 1)
cr <- if (RI[n] > 0) ci / RI[n] else 0
out <- c(setNames(w, rownames(A)), lambda_max = lam, ci = ci, ri = RI[n], cr = cr)
writeLines(c("name,value", sprintf("%s,%.17g", names(out), out)), "expected.csv")
pub <- read.csv("published.csv")
stopifnot(all(abs(round(out[pub$name], 3) - pub$value) < 1e-9))
cat("published figures reproduced to 3 decimals\n")
