// Package model holds the domain types: the hand-written gorm models that gqlgen autobinds,
// and (in models_gen.go, generated) the enums and input types of the GraphQL schema.
package model
