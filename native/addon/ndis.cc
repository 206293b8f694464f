// NDIS entry points: filled in by the NDIS issue.
#include "addon.h"
namespace ntcopy {
void InitNdis(Napi::Env, Napi::Object) {}
}  // namespace ntcopy
