package sandbox

import (
	"errors"
	"os/exec"
	"unsafe"

	"golang.org/x/sys/windows"
)

// On Windows a child enforces its memory limit as on Linux without a
// cgroup: the watchdog (watchdog.go) reads its working set, and a job
// object with a process memory limit is the kernel's backstop, as
// RLIMIT_DATA is on Linux (limitData). A child puts itself in the job: the
// parent cannot before it runs.

// setParentDeath has no kernel support here; the child polls for its
// parent instead (exitWithParent).
func setParentDeath(*exec.Cmd) {}

// limitData puts the process in a job object whose process memory limit
// (committed memory) is n bytes (0: none). Past it, an allocation fails and
// the runtime dies with "out of memory", which the parent reads as a death
// at the memory limit.
func limitData(n int64) error {
	if n <= 0 {
		return nil
	}
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return err
	}
	// The handle stays open for the life of the process: the job lives on
	// while its process does, closed or not.
	info := windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION{ProcessMemoryLimit: uintptr(n)}
	info.BasicLimitInformation.LimitFlags = windows.JOB_OBJECT_LIMIT_PROCESS_MEMORY
	if _, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		windows.CloseHandle(job)
		return err
	}
	self, err := windows.GetCurrentProcess()
	if err == nil {
		err = windows.AssignProcessToJobObject(job, self)
	}
	if err != nil {
		windows.CloseHandle(job)
	}
	return err
}

// intoCgroup: there are no cgroups here.
func (m *memoryLimit) intoCgroup(*exec.Cmd) error { return errors.New("no cgroups") }

// release has no group to remove.
func (m *memoryLimit) release() {}

// MemoryEnforcement says what enforces the children's memory limit.
func MemoryEnforcement() string {
	return byWatchdog + ", with a job object's process memory limit as a backstop"
}

// processMemoryCounters is PROCESS_MEMORY_COUNTERS (psapi.h).
type processMemoryCounters struct {
	cb                         uint32
	PageFaultCount             uint32
	PeakWorkingSetSize         uintptr
	WorkingSetSize             uintptr
	QuotaPeakPagedPoolUsage    uintptr
	QuotaPagedPoolUsage        uintptr
	QuotaPeakNonPagedPoolUsage uintptr
	QuotaNonPagedPoolUsage     uintptr
	PagefileUsage              uintptr
	PeakPagefileUsage          uintptr
}

// getProcessMemoryInfo is K32GetProcessMemoryInfo, in kernel32 since
// Windows 7 (x/sys/windows does not wrap it).
var getProcessMemoryInfo = windows.NewLazySystemDLL("kernel32.dll").NewProc("K32GetProcessMemoryInfo")

// memoryInfo reads process's memory counters.
func memoryInfo(process windows.Handle) (processMemoryCounters, error) {
	c := processMemoryCounters{}
	c.cb = uint32(unsafe.Sizeof(c))
	if ok, _, err := getProcessMemoryInfo.Call(uintptr(process), uintptr(unsafe.Pointer(&c)), uintptr(c.cb)); ok == 0 {
		return c, err
	}
	return c, nil
}

// peakRSS is the largest working set the live process pid has had, in
// bytes; 0 when it cannot be read.
func peakRSS(pid int) int64 {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		return 0
	}
	defer windows.CloseHandle(h)
	c, err := memoryInfo(h)
	if err != nil {
		return 0
	}
	return int64(c.PeakWorkingSetSize)
}

// resident is the process's working set in bytes.
func resident() (int64, error) {
	self, err := windows.GetCurrentProcess()
	if err != nil {
		return 0, err
	}
	c, err := memoryInfo(self)
	return int64(c.WorkingSetSize), err
}
