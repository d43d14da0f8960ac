"""A toy GAN-style pose model: a generator fitting the targets and a
discriminator judging its output, each stepped by its own optimizer inside
``train_step`` (as 0.14's mesh model does with ``use_adversarial_train``)."""
import torch
import torch.nn as nn


class ToyAdversarialModel(nn.Module):
    """Generator ``Linear(3, 1)`` on the image means, discriminator
    ``Linear(1, 1)``; seeded, so two instances start equal."""

    def __init__(self, pretrained=None):
        super().__init__()
        torch.manual_seed(0)
        self.generator = nn.Linear(3, 1)
        self.discriminator = nn.Linear(1, 1)

    def init_weights(self, pretrained=None):
        pass

    def forward(self, img, **kwargs):
        return self.discriminator(self.generator(img.mean((2, 3))))

    def train_step(self, data_batch, optimizer, **kwargs):
        # Only the generator gets gradients in its step: one DDP around the
        # whole model would wait for the discriminator's.
        fake = self.generator(data_batch['img'].mean((2, 3)))
        loss_g = (fake - data_batch['target']).pow(2).mean()
        optimizer['generator'].zero_grad()
        loss_g.backward()
        optimizer['generator'].step()
        loss_d = self.discriminator(fake.detach()).pow(2).mean()
        optimizer['discriminator'].zero_grad()
        loss_d.backward()
        optimizer['discriminator'].step()
        log_vars = dict(loss_g=loss_g.item(), loss_d=loss_d.item())
        return dict(
            loss=loss_g.detach() + loss_d.detach(),
            log_vars=log_vars,
            num_samples=len(fake))

    def val_step(self, data_batch, **kwargs):
        return self(data_batch['img'])


def sgd_optimizers(model, lr):
    """One SGD per sub-module named in ``lr`` ({name: learning rate})."""
    return {
        name: torch.optim.SGD(getattr(model, name).parameters(), lr=rate)
        for name, rate in lr.items()
    }
