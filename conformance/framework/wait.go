package framework

import (
	"context"
	"fmt"
	"strings"

	compute "google.golang.org/api/compute/v1"
)

// OperationError is the error of an operation that ended DONE with
// error.errors[].
type OperationError struct {
	Operation *compute.Operation
}

func (e *OperationError) Error() string {
	op := e.Operation
	var msgs []string
	for _, item := range op.Error.Errors {
		msgs = append(msgs, fmt.Sprintf("%s: %s", item.Code, item.Message))
	}
	return fmt.Sprintf("operation %s (%s %s) failed with HTTP %d: %s", op.Name,
		op.OperationType, op.TargetLink, op.HttpErrorStatusCode, strings.Join(msgs, "; "))
}

// Wait calls the wait method of op's scope (zone, region or global) until
// the operation is DONE or ctx ends. It returns the last operation read and,
// when the operation carries error.errors[], an *OperationError.
func Wait(ctx context.Context, svc *compute.Service, op *compute.Operation) (*compute.Operation, error) {
	project, err := operationProject(op)
	if err != nil {
		return op, err
	}
	for op.Status != "DONE" {
		if op, err = waitOnce(ctx, svc, project, op); err != nil {
			return op, fmt.Errorf("wait for operation: %w", err)
		}
	}
	if op.Error != nil && len(op.Error.Errors) > 0 {
		return op, &OperationError{Operation: op}
	}
	return op, nil
}

func waitOnce(ctx context.Context, svc *compute.Service, project string, op *compute.Operation) (*compute.Operation, error) {
	if err := ctx.Err(); err != nil {
		return op, err
	}
	var next *compute.Operation
	var err error
	switch {
	case op.Zone != "":
		next, err = svc.ZoneOperations.Wait(project, lastSegment(op.Zone), op.Name).Context(ctx).Do()
	case op.Region != "":
		next, err = svc.RegionOperations.Wait(project, lastSegment(op.Region), op.Name).Context(ctx).Do()
	default:
		next, err = svc.GlobalOperations.Wait(project, op.Name).Context(ctx).Do()
	}
	if err != nil {
		return op, err
	}
	return next, nil
}

// operationProject reads the project from op's selfLink
// (".../projects/P/...").
func operationProject(op *compute.Operation) (string, error) {
	_, rest, ok := strings.Cut(op.SelfLink, "/projects/")
	project, _, _ := strings.Cut(rest, "/")
	if !ok || project == "" {
		return "", fmt.Errorf("operation %s: selfLink %q names no project", op.Name, op.SelfLink)
	}
	return project, nil
}

func lastSegment(link string) string {
	return link[strings.LastIndex(link, "/")+1:]
}
