module github.com/certibloc/certibloc

go 1.26.8
