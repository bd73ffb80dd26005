package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

const operationColumns = `project, name, scope, done, version, insert_time, body`

// CreateOperation implements Store.
func (s *SQLite) CreateOperation(ctx context.Context, op Operation) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO operations
		(project, name, scope, done, version, insert_time, body) VALUES (?, ?, ?, ?, 1, ?, ?)`,
		op.Project, op.Name, op.Scope, op.Done, op.InsertTime.UnixNano(), []byte(op.Body))
	if err != nil && isUniqueViolation(err) {
		return ErrExists
	}
	return wrap("create operation", err)
}

// Operation implements Store.
func (s *SQLite) Operation(ctx context.Context, project, name string) (Operation, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+operationColumns+` FROM operations
		WHERE project = ? AND name = ?`, project, name)
	return scanOperation(row)
}

// Operations implements Store.
func (s *SQLite) Operations(ctx context.Context, project, scope string) ([]Operation, error) {
	return s.queryOperations(ctx, `SELECT `+operationColumns+` FROM operations
		WHERE project = ? AND (? = '' OR scope = ?) ORDER BY insert_time, name`,
		project, scope, scope)
}

// PendingOperations implements Store.
func (s *SQLite) PendingOperations(ctx context.Context) ([]Operation, error) {
	return s.queryOperations(ctx, `SELECT `+operationColumns+` FROM operations
		WHERE done = 0 ORDER BY insert_time`)
}

func (s *SQLite) queryOperations(ctx context.Context, query string, args ...any) ([]Operation, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, wrap("list operations", err)
	}
	defer rows.Close()
	var out []Operation
	for rows.Next() {
		op, err := scanOperation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, op)
	}
	return out, wrap("list operations", rows.Err())
}

// UpdateOperation implements Store.
func (s *SQLite) UpdateOperation(ctx context.Context, op *Operation) error {
	res, err := s.db.ExecContext(ctx, `UPDATE operations SET done = ?, body = ?, version = version + 1
		WHERE project = ? AND name = ? AND version = ?`,
		op.Done, []byte(op.Body), op.Project, op.Name, op.Version)
	if err := affectedOne("update operation", res, err); err != nil {
		if errors.Is(err, ErrNotFound) {
			return ErrConflict
		}
		return err
	}
	op.Version++
	return nil
}

// Lease implements Store.
func (s *SQLite) Lease(ctx context.Context, project, name, holder string, ttl time.Duration) (bool, error) {
	now := time.Now()
	res, err := s.db.ExecContext(ctx, `UPDATE operations SET lease_holder = ?, lease_until = ?
		WHERE project = ? AND name = ? AND (lease_until < ? OR lease_holder = ?)`,
		holder, now.Add(ttl).UnixNano(), project, name, now.UnixNano(), holder)
	err = affectedOne("lease operation", res, err)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Unlease implements Store.
func (s *SQLite) Unlease(ctx context.Context, project, name, holder string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE operations SET lease_holder = '', lease_until = 0
		WHERE project = ? AND name = ? AND lease_holder = ?`, project, name, holder)
	return wrap("release operation lease", err)
}

// DeleteOperation implements Store.
func (s *SQLite) DeleteOperation(ctx context.Context, project, name string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM operations WHERE project = ? AND name = ?`,
		project, name)
	return affectedOne("delete operation", res, err)
}

func scanOperation(row scanner) (Operation, error) {
	var op Operation
	var insert int64
	err := row.Scan(&op.Project, &op.Name, &op.Scope, &op.Done, &op.Version, &insert, &op.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return Operation{}, ErrNotFound
	}
	if err != nil {
		return Operation{}, wrap("read operation", err)
	}
	op.InsertTime = time.Unix(0, insert)
	return op, nil
}
