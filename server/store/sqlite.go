package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

const schema = `
CREATE TABLE IF NOT EXISTS resources (
	project TEXT NOT NULL, scope TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
	openstack_id TEXT NOT NULL DEFAULT '', data BLOB, created_at INTEGER NOT NULL,
	PRIMARY KEY (project, scope, kind, name));
CREATE INDEX IF NOT EXISTS resources_osid ON resources (project, kind, openstack_id);
CREATE TABLE IF NOT EXISTS operations (
	project TEXT NOT NULL, name TEXT NOT NULL, scope TEXT NOT NULL,
	done INTEGER NOT NULL, version INTEGER NOT NULL, insert_time INTEGER NOT NULL,
	lease_holder TEXT NOT NULL DEFAULT '', lease_until INTEGER NOT NULL DEFAULT 0,
	body BLOB NOT NULL, PRIMARY KEY (project, name));
CREATE INDEX IF NOT EXISTS operations_pending ON operations (done);
`

// SQLite is a Store in one SQLite database, a file or memory.
type SQLite struct {
	db *sql.DB
}

var memoryDBs atomic.Int64

// OpenSQLite opens (creating if needed) the database in the file at path.
// An empty path gives a private in-memory database that lives as long as
// the returned store.
func OpenSQLite(path string) (*SQLite, error) {
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)"
	if path == "" {
		dsn = fmt.Sprintf("file:gceapi-mem-%d?mode=memory&cache=shared", memoryDBs.Add(1))
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open state database: %w", err)
	}
	// One connection serialises writers, which SQLite needs anyway, and keeps
	// an in-memory database alive.
	db.SetMaxOpenConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("create state schema in %q: %w", path, err)
	}
	return &SQLite{db: db}, nil
}

// Close closes the database.
func (s *SQLite) Close() error { return s.db.Close() }

// Reserve implements Store.
func (s *SQLite) Reserve(ctx context.Context, r Resource) error {
	if r.CreatedAt.IsZero() {
		r.CreatedAt = time.Now()
	}
	_, err := s.db.ExecContext(ctx,
		`INSERT INTO resources (project, scope, kind, name, openstack_id, data, created_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?)`,
		r.Project, r.Scope, r.Kind, r.Name, r.OpenStackID, []byte(r.Data), r.CreatedAt.UnixNano())
	if err != nil && isUniqueViolation(err) {
		return ErrExists
	}
	return wrap("reserve resource", err)
}

const resourceColumns = `project, scope, kind, name, openstack_id, data, created_at`

// Resource implements Store.
func (s *SQLite) Resource(ctx context.Context, project, scope, kind, name string) (Resource, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+resourceColumns+` FROM resources
		WHERE project = ? AND scope = ? AND kind = ? AND name = ?`, project, scope, kind, name)
	return scanResource(row)
}

// ResourceByOpenStackID implements Store.
func (s *SQLite) ResourceByOpenStackID(ctx context.Context, project, kind, id string) (Resource, error) {
	if id == "" {
		return Resource{}, ErrNotFound
	}
	row := s.db.QueryRowContext(ctx, `SELECT `+resourceColumns+` FROM resources
		WHERE project = ? AND kind = ? AND openstack_id = ? LIMIT 1`, project, kind, id)
	return scanResource(row)
}

// Resources implements Store.
func (s *SQLite) Resources(ctx context.Context, project, scope, kind string) ([]Resource, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+resourceColumns+` FROM resources
		WHERE project = ? AND kind = ? AND (? = '' OR scope = ?) ORDER BY name`,
		project, kind, scope, scope)
	if err != nil {
		return nil, wrap("list resources", err)
	}
	defer rows.Close()
	var out []Resource
	for rows.Next() {
		r, err := scanResource(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, wrap("list resources", rows.Err())
}

// UpdateResource implements Store.
func (s *SQLite) UpdateResource(ctx context.Context, r Resource) error {
	res, err := s.db.ExecContext(ctx, `UPDATE resources SET openstack_id = ?, data = ?
		WHERE project = ? AND scope = ? AND kind = ? AND name = ?`,
		r.OpenStackID, []byte(r.Data), r.Project, r.Scope, r.Kind, r.Name)
	return affectedOne("update resource", res, err)
}

// Release implements Store.
func (s *SQLite) Release(ctx context.Context, project, scope, kind, name string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM resources
		WHERE project = ? AND scope = ? AND kind = ? AND name = ?`, project, scope, kind, name)
	return wrap("release resource", err)
}

type scanner interface{ Scan(dest ...any) error }

func scanResource(row scanner) (Resource, error) {
	var r Resource
	var data []byte
	var created int64
	err := row.Scan(&r.Project, &r.Scope, &r.Kind, &r.Name, &r.OpenStackID, &data, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Resource{}, ErrNotFound
	}
	if err != nil {
		return Resource{}, wrap("read resource", err)
	}
	if len(data) > 0 {
		r.Data = data
	}
	r.CreatedAt = time.Unix(0, created)
	return r, nil
}

func isUniqueViolation(err error) bool {
	return strings.Contains(err.Error(), "UNIQUE constraint failed") ||
		strings.Contains(err.Error(), "constraint failed")
}

func affectedOne(what string, res sql.Result, err error) error {
	if err != nil {
		return wrap(what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return wrap(what, err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}
