// The most resident memory the process has used so far.
#ifndef GPT1_PEAK_MEMORY_H
#define GPT1_PEAK_MEMORY_H

double peak_resident_mb(void);  // Linux: VmHWM of /proc/self/status, in MB; 0 if unknown

#endif
