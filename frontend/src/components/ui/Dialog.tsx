import { Modal, type ModalProps } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';

/** A labelled, focus-trapped modal (Escape closes it) that takes the whole screen on a phone. */
export function Dialog(props: ModalProps) {
  const phone = useMediaQuery('(max-width: 36em)');
  return <Modal centered fullScreen={phone} closeButtonProps={{ 'aria-label': 'Close' }} {...props} />;
}
