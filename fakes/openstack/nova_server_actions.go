package openstack

import (
	"encoding/json"
	"net/http"
	"time"
)

// serverAction handles POST /servers/{id}/action: reboot, os-stop,
// os-start and os-getConsoleOutput.
func serverAction(cl *call) reply {
	s, rep, ok := cl.findServer(cl.vars["id"])
	if !ok {
		return rep
	}
	var req map[string]json.RawMessage
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	if len(req) != 1 {
		return cl.fail(http.StatusBadRequest, "", "There is no such action: %v", actionNames(req))
	}
	for name, arg := range req {
		return cl.runAction(s, name, arg)
	}
	return reply{}
}

func actionNames(req map[string]json.RawMessage) []string {
	var names []string
	for k := range req {
		names = append(names, k)
	}
	return names
}

func (cl *call) runAction(s *server, name string, arg json.RawMessage) reply {
	switch name {
	case "reboot":
		var r struct {
			Type string `json:"type"`
		}
		if json.Unmarshal(arg, &r) != nil || (r.Type != "HARD" && r.Type != "SOFT") {
			return cl.fail(http.StatusBadRequest, "", "Invalid input for field/attribute type. Value: %s. '%s' is not one of ['HARD', 'Hard', 'SOFT', 'Soft']", r.Type, r.Type)
		}
		return cl.reboot(s, r.Type == "HARD")
	case "os-stop":
		return cl.powerChange(s, "stop", "ACTIVE", "powering-off", "SHUTOFF", "stopped", 4)
	case "os-start":
		return cl.powerChange(s, "start", "SHUTOFF", "powering-on", "ACTIVE", "active", 1)
	case "os-getConsoleOutput":
		return respond(http.StatusOK, map[string]any{"output": "FAKE CONSOLE OUTPUT\nANOTHER\nLAST LINE"})
	}
	return cl.fail(http.StatusBadRequest, "", "There is no such action: %s", name)
}

// conflict is Nova's 409 for an action the server's state does not allow.
func (cl *call) conflict(action string, s *server) reply {
	if s.TaskState != "" {
		return cl.fail(http.StatusConflict, "", "Cannot '%s' instance %s while it is in task_state %s", action, s.ID, s.TaskState)
	}
	return cl.fail(http.StatusConflict, "", "Cannot '%s' instance %s while it is in vm_state %s", action, s.ID, s.VMState)
}

// reboot accepts a hard reboot during a soft one but not the reverse.
func (cl *call) reboot(s *server, hard bool) reply {
	softTask := s.TaskState == "reboot_pending" || s.TaskState == "reboot_started" || s.TaskState == "rebooting"
	if s.VMState == "building" || s.TaskState == "deleting" || (s.TaskState != "" && !(hard && softTask)) ||
		(!hard && s.VMState == "stopped") || s.VMState == "error" && !hard {
		return cl.conflict("reboot", s)
	}
	status, first, second := "REBOOT", "reboot_pending", "reboot_started"
	if hard {
		status, first, second = "HARD_REBOOT", "rebooting_hard", "reboot_started_hard"
	}
	s.gen++
	gen, d := s.gen, cl.c.timings.ServerReboot
	s.Status, s.TaskState, s.Updated = status, first, cl.now
	cl.c.after(cl.now, d*3/10, func() { cl.c.setTask(s, gen, second) })
	cl.c.after(cl.now, d, func() { cl.c.settle(s, gen, "ACTIVE", "active", 1, cl.now.Add(d)) })
	return empty(http.StatusAccepted)
}

// powerChange starts a stop or start: the server keeps status from, shows
// task until the change completes, then has status to.
func (cl *call) powerChange(s *server, action, from, task, to, vmState string, power int) reply {
	if s.Status != from || s.TaskState != "" {
		return cl.conflict(action, s)
	}
	s.gen++
	gen, d := s.gen, cl.c.timings.ServerReboot
	s.TaskState, s.Updated = task, cl.now
	cl.c.after(cl.now, d, func() { cl.c.settle(s, gen, to, vmState, power, cl.now.Add(d)) })
	return empty(http.StatusAccepted)
}

// settle ends an action: the server reaches status with no task.
func (c *Cloud) settle(s *server, gen int, status, vmState string, power int, at time.Time) {
	if c.servers[s.ID] == nil || s.gen != gen {
		return
	}
	s.Status, s.VMState, s.PowerState, s.TaskState, s.Updated = status, vmState, power, "", at
}
