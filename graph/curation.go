package graph

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/internal/auth"
	"github.com/cybertrade/cybertrade/internal/globalid"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store/curate"
	"github.com/cybertrade/cybertrade/store/reads"
	"github.com/cybertrade/cybertrade/store/record"
)

// The mutations turn their inputs into the store's record values (record.*Values: the fields
// of the data files, references by natural key) and the store's errors into the API's: a
// record the shared checks refuse becomes INVALID_ARGUMENT errors naming the input fields.

// actor is the name of the token the request authenticated with. The auth extension refuses a
// mutation without one before it runs; this is the resolvers' own guard.
func actor(ctx context.Context) (*auth.Identity, error) {
	id := auth.From(ctx)
	if id == nil {
		return nil, apperr.Errorf(apperr.Unauthenticated, "a mutation needs an API token: send Authorization: Bearer <token>")
	}
	return id, nil
}

// refOf decodes the id of an input as a record of one of the types.
func refOf(field, id string, types ...string) (curate.Ref, error) {
	ref, err := curate.RefOf(field, id)
	if err != nil {
		return ref, err
	}
	for _, t := range types {
		if ref.Type == t {
			return ref, nil
		}
	}
	return ref, apperr.InvalidField(field, "%q is the id of a %s; this mutation takes a %s", id, ref.Type, types[0])
}

// fieldNames maps the data files' field names to an input's where they differ.
type fieldNames map[string]string

var (
	actionFields   = fieldNames{"companies": "targetCompanies", "products": "targetProducts"}
	responseFields = fieldNames{}
	companyFields  = fieldNames{"country": "homeCountry"}
	plainFields    = fieldNames{}
	caseFields     = fieldNames{"moves": "actions"}
)

func (f fieldNames) of(name string) string {
	if n, ok := f[name]; ok {
		return n
	}
	return name
}

// writeError turns a store error into the API's. field names the input field of an issue: of
// the record itself (move -1) or of the move-th move of a new case.
func writeError(ctx context.Context, err error, field func(move int, name string) string) error {
	var ir *curate.InvalidRecord
	if !errors.As(err, &ir) {
		return err
	}
	errs := make([]error, len(ir.Issues))
	for i, is := range ir.Issues {
		errs[i] = &apperr.Error{Code: apperr.Invalid, Field: field(ir.Move, is.Field), Message: is.Message}
	}
	for _, e := range errs[1:] {
		graphql.AddError(ctx, e)
	}
	return errs[0]
}

// inputField names fields of a mutation's input.
func inputField(names fieldNames) func(int, string) string {
	return func(_ int, name string) string { return "input." + names.of(name) }
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// set assigns *v to *dst when the patch gives it.
func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// setList assigns a list the patch gives (a given empty list clears).
func setList(dst *[]string, v []string) {
	if v != nil {
		*dst = v
	}
}

func concerns(cs []model.Concern) []string {
	if cs == nil {
		return nil
	}
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

func confidence(c *model.Confidence) string {
	if c == nil {
		return string(model.ConfidenceHigh)
	}
	return string(*c)
}

func actionValues(in *model.CreateCountryActionInput) *record.MoveValues {
	return &record.MoveValues{Slug: in.Slug, Type: dataset.TypeAction, Option: string(in.Option), Instrument: string(in.Instrument), Case: str(in.Case), Country: in.Country,
		Actor: str(in.Actor), Date: in.Date, Title: in.Title, Summary: str(in.Summary), Concerns: concerns(in.Concerns),
		Companies: in.TargetCompanies, Products: in.TargetProducts, Counterparts: in.Counterparts, InReplyTo: in.InReplyTo,
		Sources: in.Sources, Confidence: confidence(in.Confidence), CodingNote: str(in.CodingNote)}
}

func responseValues(in *model.CreateCompanyResponseInput) *record.MoveValues {
	return &record.MoveValues{Slug: in.Slug, Type: dataset.TypeResponse, Option: string(in.Option), Instrument: string(in.Instrument), Case: str(in.Case), Country: in.Country,
		Company: in.Company, Actor: str(in.Actor), Date: in.Date, Title: in.Title, Summary: str(in.Summary), Products: in.Products,
		InReplyTo: in.InReplyTo, Sources: in.Sources, Confidence: confidence(in.Confidence), CodingNote: str(in.CodingNote)}
}

func patchAction(in *model.UpdateCountryActionInput) func(record.Values) error {
	return func(v record.Values) error {
		m := v.(*record.MoveValues)
		movePatch{Case: in.Case, Option: enumStr(in.Option), Country: in.Country, Actor: in.Actor, Date: in.Date, Title: in.Title,
			Summary: in.Summary, Products: in.TargetProducts, InReplyTo: in.InReplyTo, Sources: in.Sources,
			Confidence: enumStr(in.Confidence), CodingNote: in.CodingNote, Instrument: enumStr(in.Instrument)}.apply(m)
		setList(&m.Concerns, concerns(in.Concerns))
		setList(&m.Companies, in.TargetCompanies)
		setList(&m.Counterparts, in.Counterparts)
		return nil
	}
}

func patchResponse(in *model.UpdateCompanyResponseInput) func(record.Values) error {
	return func(v record.Values) error {
		m := v.(*record.MoveValues)
		movePatch{Case: in.Case, Option: enumStr(in.Option), Country: in.Country, Actor: in.Actor, Date: in.Date, Title: in.Title,
			Summary: in.Summary, Products: in.Products, InReplyTo: in.InReplyTo, Sources: in.Sources,
			Confidence: enumStr(in.Confidence), CodingNote: in.CodingNote, Instrument: enumStr(in.Instrument)}.apply(m)
		set(&m.Company, in.Company)
		return nil
	}
}

// movePatch is what an update of either kind of move may set, besides its kind's own fields.
type movePatch struct {
	Case, Option, Country, Actor, Date, Title, Summary, Confidence, CodingNote, Instrument *string
	Products, InReplyTo, Sources                                                           []string
}

func (p movePatch) apply(m *record.MoveValues) {
	set(&m.Case, p.Case)
	set(&m.Option, p.Option)
	set(&m.Country, p.Country)
	set(&m.Actor, p.Actor)
	set(&m.Date, p.Date)
	set(&m.Title, p.Title)
	set(&m.Summary, p.Summary)
	setList(&m.Products, p.Products)
	setList(&m.InReplyTo, p.InReplyTo)
	setList(&m.Sources, p.Sources)
	set(&m.Confidence, p.Confidence)
	set(&m.CodingNote, p.CodingNote)
	set(&m.Instrument, p.Instrument)
}

// enumStr is an optional enum value as an optional string.
func enumStr[E ~string](e *E) *string {
	if e == nil {
		return nil
	}
	s := string(*e)
	return &s
}

// record reads a record after a write (deleted or not).
func (r *Resolver) record(ctx context.Context, ref curate.Ref) (any, error) {
	rec, err := r.Store.Record(ctx, ref)
	if m, ok := rec.(*model.MoveRecord); ok {
		link(ctx, r.Store, m)
	}
	return rec, err
}

// asNode is a record as the GraphQL type its ref names.
func asNode(rec any) model.Node {
	switch x := rec.(type) {
	case *model.MoveRecord:
		return x.AsMove().(model.Node)
	case model.Node:
		return x
	}
	return nil
}

// createMove adds an action or a response.
func (r *Resolver) createMove(ctx context.Context, v *record.MoveValues, hasCase bool, names fieldNames) (*model.MoveRecord, *model.Revision, error) {
	id, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	if !hasCase {
		return nil, nil, apperr.InvalidField("input.case", "required: the slug of the case the move belongs to")
	}
	rev, err := r.Store.Create(ctx, id.Name, v)
	if err != nil {
		return nil, nil, writeError(ctx, err, inputField(names))
	}
	rec, err := r.record(ctx, curate.Ref{Type: moveType(v), Key: v.Slug})
	if err != nil {
		return nil, nil, err
	}
	return rec.(*model.MoveRecord), rev, nil
}

func moveType(v *record.MoveValues) string {
	if v.Type == dataset.TypeResponse {
		return globalid.CompanyResponse
	}
	return globalid.CountryAction
}

// create adds a company, product or source and reads it back.
func (r *Resolver) create(ctx context.Context, v record.Values, typ, key string, names fieldNames) (any, *model.Revision, error) {
	id, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	rev, err := r.Store.Create(ctx, id.Name, v)
	if err != nil {
		return nil, nil, writeError(ctx, err, inputField(names))
	}
	rec, err := r.record(ctx, curate.Ref{Type: typ, Key: key})
	return rec, rev, err
}

// createCase adds a case with its moves: the input's actions, then its responses.
func (r *Resolver) createCase(ctx context.Context, in *model.CreateCaseInput) (*model.Case, *model.Revision, error) {
	id, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	c := &record.CaseValues{Slug: in.Slug, Title: in.Title, Summary: str(in.Summary), Sources: in.Sources}
	var moves []*record.MoveValues
	for i := range in.Actions {
		if x := in.Actions[i].Case; x != nil && *x != in.Slug {
			return nil, nil, apperr.InvalidField(fmt.Sprintf("input.actions[%d].case", i), "leave it out: the moves of createCase belong to the new case")
		}
		moves = append(moves, actionValues(in.Actions[i]))
	}
	for i := range in.Responses {
		if x := in.Responses[i].Case; x != nil && *x != in.Slug {
			return nil, nil, apperr.InvalidField(fmt.Sprintf("input.responses[%d].case", i), "leave it out: the moves of createCase belong to the new case")
		}
		moves = append(moves, responseValues(in.Responses[i]))
	}
	rev, err := r.Store.CreateCase(ctx, id.Name, c, moves)
	if err != nil {
		return nil, nil, writeError(ctx, err, func(move int, name string) string {
			switch {
			case move < 0:
				return "input." + caseFields.of(name)
			case move < len(in.Actions):
				return fmt.Sprintf("input.actions[%d].%s", move, actionFields.of(name))
			}
			return fmt.Sprintf("input.responses[%d].%s", move-len(in.Actions), responseFields.of(name))
		})
	}
	rec, err := r.record(ctx, curate.Ref{Type: globalid.Case, Key: in.Slug})
	if err != nil {
		return nil, nil, err
	}
	return rec.(*model.Case), rev, nil
}

// update patches a record of one of the types and reads it back.
func (r *Resolver) update(ctx context.Context, rawID string, expected int, typ string, names fieldNames, patch func(record.Values) error) (any, *model.Revision, error) {
	id, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	ref, err := refOf("input.id", rawID, typ)
	if err != nil {
		return nil, nil, err
	}
	rev, err := r.Store.Update(ctx, id.Name, ref, expected, patch)
	if err != nil {
		return nil, nil, writeError(ctx, err, inputField(names))
	}
	rec, err := r.record(ctx, ref)
	return rec, rev, err
}

// remove deletes a record of one type and reads it back (as deleted).
func (r *Resolver) remove(ctx context.Context, rawID string, expected *int, typ string, unlink *bool) (any, *model.Revision, error) {
	id, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	ref, err := refOf("input.id", rawID, typ)
	if err != nil {
		return nil, nil, err
	}
	rev, err := r.Store.Delete(ctx, id.Name, ref, expected, curate.DeleteOptions{UnlinkReplies: unlink != nil && *unlink})
	if err != nil {
		return nil, nil, writeError(ctx, err, inputField(plainFields))
	}
	rec, err := r.record(ctx, ref)
	return rec, rev, err
}

// link adds or removes a causal link and reads both moves back.
func (r *Resolver) link(ctx context.Context, in *model.LinkInput, add bool) (*model.LinkPayload, error) {
	id, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	reply, err := refOf("input.reply", in.Reply, globalid.CountryAction, globalid.CompanyResponse)
	if err != nil {
		return nil, err
	}
	target, err := refOf("input.target", in.Target, globalid.CountryAction, globalid.CompanyResponse)
	if err != nil {
		return nil, err
	}
	rev, err := r.Store.Link(ctx, id.Name, reply, target, in.ExpectedVersion, add)
	if err != nil {
		return nil, writeError(ctx, err, func(_ int, name string) string {
			if name == "inReplyTo" {
				return "input.target"
			}
			return "input.reply"
		})
	}
	out := &model.LinkPayload{ClientMutationID: in.ClientMutationID, Revision: rev}
	for _, x := range []struct {
		ref curate.Ref
		dst *model.Move
	}{{reply, &out.Reply}, {target, &out.Target}} {
		rec, err := r.record(ctx, x.ref)
		if err != nil {
			return nil, err
		}
		*x.dst = rec.(*model.MoveRecord).AsMove()
	}
	return out, nil
}

// restore brings a deleted record back.
func (r *Resolver) restore(ctx context.Context, in *model.RestoreInput) (*model.RestorePayload, error) {
	id, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	ref, err := curate.RefOf("input.id", in.ID)
	if err != nil {
		return nil, err
	}
	rev, err := r.Store.Restore(ctx, id.Name, ref)
	if err != nil {
		return nil, writeError(ctx, err, func(int, string) string { return "input.id" })
	}
	rec, err := r.record(ctx, ref)
	if err != nil {
		return nil, err
	}
	return &model.RestorePayload{ClientMutationID: in.ClientMutationID, Node: asNode(rec), Revision: rev}, nil
}

// revisionRow decodes a revision id.
func revisionRow(field, id string) (int64, error) {
	typ, key, err := globalid.Decode(id)
	n, nerr := strconv.ParseInt(key, 10, 64)
	if err != nil || typ != globalid.Revision || nerr != nil || n <= 0 {
		return 0, apperr.InvalidField(field, "%q is not a revision id; use an `id` from `history` or `revisions`", id)
	}
	return n, nil
}

// revert undoes a revision. Undoing a deletion restores the record: admins only, as restore.
func (r *Resolver) revert(ctx context.Context, in *model.RevertInput) (*model.RevertPayload, error) {
	id, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	n, err := revisionRow("input.revision", in.Revision)
	if err != nil {
		return nil, err
	}
	rev, err := r.Store.Revision(ctx, n)
	if err != nil {
		return nil, err
	}
	if rev.AfterValues == nil && !id.Role.Allows(auth.Admin) {
		return nil, apperr.Errorf(apperr.Forbidden, "reverting a deletion restores the record, which only an admin token may do")
	}
	ref, done, err := r.Store.Revert(ctx, id.Name, n)
	if err != nil {
		return nil, writeError(ctx, err, func(int, string) string { return "input.revision" })
	}
	rec, err := r.record(ctx, ref)
	if err != nil {
		return nil, err
	}
	return &model.RevertPayload{ClientMutationID: in.ClientMutationID, Node: asNode(rec), Revision: done}, nil
}

// revisions runs the revisions connection.
func (r *Resolver) revisions(f curate.RevisionFilter, first *int, after *string, last *int, before *string) func(ctx context.Context) (*model.RevisionConnection, error) {
	return func(ctx context.Context) (*model.RevisionConnection, error) {
		pa, err := reads.NewPageArgs(first, after, last, before)
		if err != nil {
			return nil, err
		}
		pg, err := r.Store.Revisions(ctx, f, pa)
		if err != nil {
			return nil, err
		}
		return &model.RevisionConnection{PageInfo: pageInfo(pg),
			Counter: model.Counter{Count: func(ctx context.Context) (int, error) { return r.Store.CountRevisions(ctx, f) }},
			Edges: edges(pg, func(c string, x *model.Revision) *model.RevisionEdge {
				return &model.RevisionEdge{Cursor: c, Node: x}
			})}, nil
	}
}
