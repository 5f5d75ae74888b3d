// The CSS of the Element Plus services that scripts call (ElMessage, ElMessageBox,
// ElNotification). Components used in templates bring their own CSS (vite.config.ts imports
// them per component); these are never in a template, so nothing else would load theirs.
import "element-plus/es/components/message/style/css";
import "element-plus/es/components/message-box/style/css";
import "element-plus/es/components/notification/style/css";
